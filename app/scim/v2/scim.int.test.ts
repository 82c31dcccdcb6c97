import { beforeAll, describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditEvents, provisioningJobs } from "@/db/schema";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createEmailList, getEmailList, getPerson, groupMembers } from "@/lib/registry/registry";
import { createConnector, revokeConnector } from "@/lib/scim/connectors";
import { testClient, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { runJobs } from "@/tests/support/provisioning";
import * as apiGroupMember from "../../api/v1/groups/[id]/members/[personId]/route";
import * as apiGroups from "../../api/v1/groups/route";
import * as apiPerson from "../../api/v1/people/[id]/route";
import * as apiPeople from "../../api/v1/people/route";
import * as groupItem from "./Groups/[id]/route";
import * as groupsRoute from "./Groups/route";
import * as resourceTypes from "./ResourceTypes/route";
import * as schemasRoute from "./Schemas/route";
import * as spc from "./ServiceProviderConfig/route";
import * as userItem from "./Users/[id]/route";
import * as usersRoute from "./Users/route";

/**
 * SCIM 2.0 through its route handlers, in the shapes Microsoft Entra ID and Okta send, against
 * the real core: each write changes the registry and queues the same provisioning jobs as the
 * JSON API's call, and once they run the Mailman roster is what the API would have made it.
 */

const core = testClient();
let token: string;
let apiToken: string;
let targetId: number;
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

/** The fields the assertions read; the rest is checked with toMatchObject. */
interface ScimBody {
  [key: string]: unknown;
  id: string;
  active: boolean;
  members: { value: string }[];
  Resources: { id: string }[];
  meta: { version: string };
  totalResults: number;
}

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function scim(handler: Handler, method: string, path: string, options: { body?: unknown; id?: string; bearer?: string; headers?: Record<string, string> } = {}) {
  const request = new Request(`http://localhost/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${options.bearer ?? token}`, ...(options.body !== undefined ? { "content-type": "application/scim+json" } : {}), ...options.headers },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const response = await handler(request, { params: Promise.resolve(options.id ? { id: options.id } : ({} as Record<string, string>)) });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    etag: response.headers.get("etag"),
    jobIds: (response.headers.get("x-listkeeper-job-ids") ?? "").split(",").filter(Boolean).map(Number),
    body: (text ? JSON.parse(text) : null) as ScimBody,
  };
}

async function api(handler: Handler, method: string, path: string, body?: unknown, params: Record<string, string> = {}) {
  const request = new Request(`http://localhost/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${apiToken}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const response = await handler(request, { params: Promise.resolve(params) });
  return (await response.json()) as { id: number; jobIds: number[] };
}

async function roster(mailmanListId: string): Promise<string[]> {
  const page = await core.findMembers({ listId: mailmanListId, role: "member" }, { count: 100, page: 1 }, ["email"]);
  return page.entries.map((e) => e.email!).sort();
}

/** What a job is about, without its id: SCIM and the API must queue the same. */
async function jobShapes(ids: readonly number[]) {
  if (ids.length === 0) return [];
  const db = await getDb();
  const rows = await db.select().from(provisioningJobs).where(inArray(provisioningJobs.id, [...ids]));
  return rows.map((r) => `${r.targetId}:${r.subjectType}:${r.action}`).sort();
}

/** A new group (SCIM or API) bound as members group of a new provisioned list. */
async function listFor(groupId: number): Promise<string> {
  const list = await createEmailList({ targetId, name: uniqueName("scim"), description: "", status: "active", membershipMode: "group", membersGroupId: groupId, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: null });
  await runJobs(list.jobIds);
  return (await getEmailList(list.value.id)).mailmanListId!;
}

beforeAll(async () => {
  const admin = await makeUser({ superuser: true });
  targetId = (await makeTarget(admin)).id;
  token = (await createConnector({ name: uniqueName("entra") }, admin.id)).token;
  apiToken = (await createApiToken("twin", admin.id)).token;
});

describe("auth and errors", () => {
  it("a wrong, missing or revoked token is 401 with a SCIM error body (RFC 7644 §3.12)", async () => {
    const wrong = await scim(usersRoute.GET, "GET", "/Users", { bearer: "lks_wrong" });
    expect(wrong.status).toBe(401);
    expect(wrong.type).toBe("application/scim+json");
    expect(wrong.body).toEqual({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401", detail: expect.stringContaining("token") });
    // An API token is not a SCIM token.
    expect((await scim(usersRoute.GET, "GET", "/Users", { bearer: apiToken })).status).toBe(401);
    const made = await createConnector({ name: uniqueName("revoked") }, null);
    expect((await scim(usersRoute.GET, "GET", "/Users", { bearer: made.token })).status).toBe(200);
    await revokeConnector(made.id);
    expect((await scim(usersRoute.GET, "GET", "/Users", { bearer: made.token })).status).toBe(401);
  });

  it("bad input, unknown ids, duplicates and a stale If-Match are SCIM errors", async () => {
    const missing = await scim(usersRoute.POST, "POST", "/Users", { body: { schemas: [USER], emails: [] } });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "400", scimType: "invalidValue" });
    expect((await scim(userItem.GET, "GET", "/Users/999999", { id: "999999" })).body).toMatchObject({ status: "404" });
    const userName = `${uniqueName("dup")}@example.org`;
    expect((await scim(usersRoute.POST, "POST", "/Users", { body: { schemas: [USER], userName } })).status).toBe(201);
    const dup = await scim(usersRoute.POST, "POST", "/Users", { body: { schemas: [USER], userName: userName.toUpperCase() } });
    expect(dup.body).toMatchObject({ status: "409", scimType: "uniqueness" });
    // A person deleted through the API frees its userName for the provider.
    const again = `${uniqueName("again")}@example.org`;
    const first = await scim(usersRoute.POST, "POST", "/Users", { body: { schemas: [USER], userName: again } });
    await api(apiPerson.DELETE, "DELETE", `/people/${first.body.id}`, undefined, { id: first.body.id });
    expect((await scim(usersRoute.GET, "GET", `/Users?filter=${encodeURIComponent(`userName eq "${again}"`)}`)).body.totalResults).toBe(0);
    expect((await scim(usersRoute.POST, "POST", "/Users", { body: { schemas: [USER], userName: again } })).status).toBe(201);
    const huge = await scim(usersRoute.POST, "POST", "/Users", { body: { schemas: [USER], userName: `${uniqueName("big")}@example.org`, displayName: "x".repeat(2 * 1024 * 1024) } });
    expect(huge.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "413" });
    const bad = await scim(usersRoute.GET, "GET", `/Users?filter=${encodeURIComponent("userName eq")}`);
    expect(bad.body).toMatchObject({ status: "400", scimType: "invalidFilter" });

    const found = await scim(usersRoute.GET, "GET", `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
    const id = found.body.Resources[0]!.id;
    const stale = await scim(userItem.PATCH, "PATCH", `/Users/${id}`, { id, headers: { "if-match": 'W/"stale"' }, body: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "displayName", value: "X" }] } });
    expect(stale.status).toBe(412);
    const current = await scim(userItem.GET, "GET", `/Users/${id}`, { id });
    expect(current.etag).toBe(current.body.meta.version);
    const fresh = await scim(userItem.PATCH, "PATCH", `/Users/${id}`, { id, headers: { "if-match": current.etag! }, body: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "displayName", value: "X" }] } });
    expect(fresh.status).toBe(200);
    expect(fresh.etag).not.toBe(current.etag);
  });

  it("discovery: ServiceProviderConfig, ResourceTypes, Schemas", async () => {
    expect((await scim(spc.GET, "GET", "/ServiceProviderConfig")).body).toMatchObject({ patch: { supported: true }, filter: { supported: true }, etag: { supported: true }, bulk: { supported: false } });
    expect((await scim(resourceTypes.GET, "GET", "/ResourceTypes")).body.Resources.map((r) => r.id)).toEqual(["User", "Group"]);
    expect((await scim(schemasRoute.GET, "GET", "/Schemas")).body.Resources.map((r) => r.id)).toEqual([USER, GROUP]);
  });
});

describe("Microsoft Entra ID", () => {
  it("looks up, creates a user, creates a group, adds and removes members, patches without a path, deactivates: registry, jobs and roster as the API's", { timeout: 120_000 }, async () => {
    const tag = uniqueName("entra");
    const userName = `Ada.${tag}@contoso.test`;
    // Entra asks before it creates.
    const lookup = await scim(usersRoute.GET, "GET", `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
    expect(lookup.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: 0, Resources: [] });
    const created = await scim(usersRoute.POST, "POST", "/Users", {
      body: {
        schemas: [USER, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        externalId: `ext-${tag}`,
        userName,
        active: true,
        displayName: "Ada Lovelace",
        emails: [{ primary: true, type: "work", value: userName }],
        name: { formatted: "Ada Lovelace", familyName: "Lovelace", givenName: "Ada" },
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "Engines" },
      },
    });
    expect(created.status).toBe(201);
    const adaId = created.body.id;
    expect(created.body).toMatchObject({ userName, active: true, externalId: `ext-${tag}`, emails: [{ value: userName, type: "work", primary: true }], meta: { resourceType: "User" } });
    expect(await getPerson(Number(adaId))).toMatchObject({ displayName: "Ada Lovelace", givenName: "Ada", familyName: "Lovelace", status: "active", externalId: `ext-${tag}`, emails: [{ address: userName, type: "preferred", verified: true }] });
    const byExternal = await scim(usersRoute.GET, "GET", `/Users?filter=${encodeURIComponent(`externalId eq "ext-${tag}"`)}`);
    expect(byExternal.body.Resources.map((r) => r.id)).toEqual([adaId]);
    const byEmail = await scim(usersRoute.GET, "GET", `/Users?filter=${encodeURIComponent(`emails[type eq "work"].value eq "${userName.toLowerCase()}"`)}`);
    expect(byEmail.body.totalResults).toBe(1);

    // The twin through the JSON API: same person, same group, same list binding.
    const twinMail = `twin.${tag}@contoso.test`;
    const twin = await api(apiPeople.POST, "POST", "/people", { displayName: "Twin", emails: [{ address: twinMail, type: "preferred", verified: true }] });

    const group = await scim(groupsRoute.POST, "POST", "/Groups", { body: { schemas: [GROUP], externalId: `g-${tag}`, displayName: `Engines ${tag}`, members: [] } });
    expect(group.status).toBe(201);
    const groupId = group.body.id;
    const apiGroup = await api(apiGroups.POST, "POST", "/groups", { name: `Engines twin ${tag}` });
    const list = await listFor(Number(groupId));
    const twinList = await listFor(apiGroup.id);

    const add = await scim(groupItem.PATCH, "PATCH", `/Groups/${groupId}`, { id: groupId, body: { schemas: [PATCH_OP], Operations: [{ op: "Add", path: "members", value: [{ value: adaId }] }] } });
    expect(add.status).toBe(200);
    expect(add.body.members).toEqual([expect.objectContaining({ value: adaId, display: "Ada Lovelace" })]);
    const apiAdd = await api(apiGroupMember.PUT, "PUT", `/groups/${apiGroup.id}/members/${twin.id}`, { member: true }, { id: String(apiGroup.id), personId: String(twin.id) });
    expect(add.jobIds.length).toBeGreaterThan(0);
    expect(await jobShapes(add.jobIds)).toEqual(await jobShapes(apiAdd.jobIds));
    await runJobs([...add.jobIds, ...apiAdd.jobIds]);
    expect(await roster(list)).toEqual([userName.toLowerCase()]);
    expect(await roster(twinList)).toEqual([twinMail]);
    expect((await groupMembers(Number(groupId))).map((m) => m.personId)).toEqual([Number(adaId)]);

    // Entra's replace without a path: a value object whose keys are paths.
    const renamed = await scim(userItem.PATCH, "PATCH", `/Users/${adaId}`, {
      id: adaId,
      body: { schemas: [PATCH_OP], Operations: [{ op: "Replace", value: { "name.givenName": "Augusta", displayName: "Augusta Ada King" } }] },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ displayName: "Augusta Ada King", name: { givenName: "Augusta", familyName: "Lovelace" } });
    expect(await getPerson(Number(adaId))).toMatchObject({ displayName: "Augusta Ada King", givenName: "Augusta" });
    await runJobs(renamed.jobIds);
    // The same body again is no change and queues nothing.
    const again = await scim(userItem.PATCH, "PATCH", `/Users/${adaId}`, { id: adaId, body: { schemas: [PATCH_OP], Operations: [{ op: "Replace", value: { "name.givenName": "Augusta", displayName: "Augusta Ada King" } }] } });
    expect(again.jobIds).toEqual([]);

    // Entra deactivates with active as the string "False", never DELETE.
    const off = await scim(userItem.PATCH, "PATCH", `/Users/${adaId}`, { id: adaId, body: { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: "False" }] } });
    expect(off.body.active).toBe(false);
    expect((await getPerson(Number(adaId))).status).toBe("suspended");
    const apiOff = await api(apiPerson.PATCH, "PATCH", `/people/${twin.id}`, { status: "suspended" }, { id: String(twin.id) });
    expect(await jobShapes(off.jobIds)).toEqual(await jobShapes(apiOff.jobIds));
    await runJobs([...off.jobIds, ...apiOff.jobIds]);
    expect(await roster(list)).toEqual([]);
    expect(await roster(twinList)).toEqual([]);
    // The Mailman user is kept (COmanage semantics).
    expect(await core.getUser(userName.toLowerCase())).not.toBeNull();

    // Back on, then Entra removes the member with a value list.
    const on = await scim(userItem.PATCH, "PATCH", `/Users/${adaId}`, { id: adaId, body: { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: "True" }] } });
    await runJobs(on.jobIds);
    expect(await roster(list)).toEqual([userName.toLowerCase()]);
    const remove = await scim(groupItem.PATCH, "PATCH", `/Groups/${groupId}`, { id: groupId, body: { schemas: [PATCH_OP], Operations: [{ op: "Remove", path: "members", value: [{ value: adaId }] }] } });
    expect(remove.body.members).toEqual([]);
    await runJobs(remove.jobIds);
    expect(await roster(list)).toEqual([]);

    const db = await getDb();
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.subject, `/scim/v2/Groups/${groupId}`));
    expect(audit.map((a) => [a.actorKind, a.action])).toContainEqual(["scim", "registry.group"]);
  });
});

describe("Okta", () => {
  it("creates a user, replaces without a path, pushes a group, adds members and removes one by a filter path; group delete empties the list", { timeout: 120_000 }, async () => {
    const tag = uniqueName("okta");
    const mail = (n: string) => `${n}.${tag}@okta.test`;
    const ids: string[] = [];
    for (const n of ["bob", "cy"]) {
      const r = await scim(usersRoute.POST, "POST", "/Users", {
        body: {
          schemas: [USER],
          userName: mail(n),
          name: { givenName: n, familyName: "Okta" },
          emails: [{ primary: true, value: mail(n), type: "work" }, { primary: false, value: `${n}.home.${tag}@okta.test`, type: "home" }],
          displayName: `${n} Okta`,
          locale: "en-US",
          externalId: `00u${n}${tag}`,
          groups: [],
          password: "never stored",
          active: true,
        },
      });
      expect(r.status).toBe(201);
      ids.push(r.body.id);
    }
    const [bob, cy] = ids as [string, string];
    expect(await getPerson(Number(bob))).toMatchObject({ emails: [{ address: mail("bob"), type: "preferred" }, { address: `bob.home.${tag}@okta.test`, type: "personal" }] });

    // Okta's replace without a path: the whole profile as an object.
    const replaced = await scim(userItem.PATCH, "PATCH", `/Users/${cy}`, { id: cy, body: { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { id: cy, displayName: "Cy Renamed", active: true } }] } });
    expect(replaced.body).toMatchObject({ id: cy, displayName: "Cy Renamed", active: true });

    const group = await scim(groupsRoute.POST, "POST", "/Groups", { body: { schemas: [GROUP], displayName: `Okta ${tag}`, members: [] } });
    const groupId = group.body.id;
    const list = await listFor(Number(groupId));
    const byName = await scim(groupsRoute.GET, "GET", `/Groups?filter=${encodeURIComponent(`displayName eq "Okta ${tag}"`)}&excludedAttributes=members`);
    expect(byName.body.Resources).toEqual([expect.not.objectContaining({ members: expect.anything() })]);
    expect(byName.body.Resources[0]!.id).toBe(groupId);

    const add = await scim(groupItem.PATCH, "PATCH", `/Groups/${groupId}`, {
      id: groupId,
      body: { schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: [{ value: bob, display: mail("bob") }, { value: cy, display: mail("cy") }] }] },
    });
    expect(add.body.members.map((m) => m.value)).toEqual([bob, cy]);
    await runJobs(add.jobIds);
    expect(await roster(list)).toEqual([mail("bob"), mail("cy")]);

    const removed = await scim(groupItem.PATCH, "PATCH", `/Groups/${groupId}`, { id: groupId, body: { schemas: [PATCH_OP], Operations: [{ op: "remove", path: `members[value eq "${bob}"]` }] } });
    expect(removed.body.members.map((m) => m.value)).toEqual([cy]);
    await runJobs(removed.jobIds);
    expect(await roster(list)).toEqual([mail("cy")]);

    // A group deleted in the IdP deletes the group, which empties the bound list.
    const gone = await scim(groupItem.DELETE, "DELETE", `/Groups/${groupId}`, { id: groupId });
    expect(gone.status).toBe(204);
    await runJobs(gone.jobIds);
    expect(await roster(list)).toEqual([]);
    expect((await scim(groupItem.GET, "GET", `/Groups/${groupId}`, { id: groupId })).status).toBe(404);

    // Okta deactivates with a path-less replace of active=false.
    const off = await scim(userItem.PATCH, "PATCH", `/Users/${cy}`, { id: cy, body: { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: false } }] } });
    expect(off.body.active).toBe(false);
    expect((await getPerson(Number(cy))).status).toBe("suspended");

    // Paging: startIndex is 1-based.
    const page = await scim(usersRoute.GET, "GET", `/Users?filter=${encodeURIComponent(`userName sw "bob.${tag}" or userName sw "cy.${tag}"`)}&startIndex=2&count=1`);
    expect(page.body).toMatchObject({ totalResults: 2, startIndex: 2, itemsPerPage: 1, Resources: [{ id: cy }] });

    const deleted = await scim(userItem.DELETE, "DELETE", `/Users/${bob}`, { id: bob });
    expect(deleted.status).toBe(204);
    expect((await scim(userItem.GET, "GET", `/Users/${bob}`, { id: bob })).status).toBe(404);
    await runJobs(deleted.jobIds);
    expect(await core.getUser(mail("bob"))).toBeNull();
  });
});
