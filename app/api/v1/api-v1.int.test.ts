import { describe, expect, it, beforeAll } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import { testClient, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { runJobs } from "@/tests/support/provisioning";
import * as emailListItem from "./email-lists/[id]/route";
import * as emailListPreferences from "./email-lists/[id]/preferences/route";
import * as emailListProvision from "./email-lists/[id]/provision/route";
import * as emailLists from "./email-lists/route";
import * as events from "./events/route";
import * as groupMember from "./groups/[id]/members/[personId]/route";
import * as groups from "./groups/route";
import * as job from "./jobs/[id]/route";
import * as personItem from "./people/[id]/route";
import * as people from "./people/route";
import * as targetItem from "./targets/[id]/route";

/**
 * The JSON API v1 contract (api-v1.md) through its route handlers, with a bearer token, against
 * the real core: status codes, problem+json, jobIds, dry runs, and the roster read back.
 */

const core = testClient();
let token: string;
let memberToken: string;
let targetId: number;

function call(handler: (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>, method: string, path: string, options: { body?: unknown; params?: Record<string, string>; bearer?: string } = {}) {
  const request = new Request(`http://localhost/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${options.bearer ?? token}`, ...(options.body !== undefined ? { "content-type": "application/json" } : {}) },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  return handler(request, { params: Promise.resolve(options.params ?? {}) });
}

async function json(response: Response) {
  return { status: response.status, type: response.headers.get("content-type"), body: (await response.json()) as Record<string, unknown> & { jobIds?: number[] } };
}

beforeAll(async () => {
  const admin = await makeUser({ superuser: true });
  token = (await createApiToken("test", admin.id)).token;
  memberToken = (await createApiToken("member", (await makeUser()).id)).token;
  targetId = (await makeTarget(admin)).id;
});

describe("auth and errors", () => {
  it("401 without a valid token, 403 for a token without superuser rights, problem+json", async () => {
    const bad = await json(await call(people.GET, "GET", "/people", { bearer: "lk_nope" }));
    expect(bad.status).toBe(401);
    expect(bad.type).toBe("application/problem+json");
    expect(bad.body).toMatchObject({ status: 401, title: "Unauthorized" });
    expect((await call(people.GET, "GET", "/people", { bearer: memberToken })).status).toBe(403);
  });

  it("422 with errors[].path on bad input; 404 on an unknown id", async () => {
    const r = await json(await call(people.POST, "POST", "/people", { body: { displayName: "X", emails: [{ address: "not-an-address" }] } }));
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([expect.objectContaining({ path: "emails.0.address" })]);
    expect((await call(personItem.GET, "GET", "/people/999999", { params: { id: "999999" } })).status).toBe(404);
  });
});

describe("provisioning through the API", () => {
  it("person, group, list: jobIds on every change, a dry run plans without changing, the job reports its items, the roster is exact", { timeout: 60_000 }, async () => {
    const tag = uniqueName("api");
    const person = await json(await call(people.POST, "POST", "/people", { body: { displayName: "Api Person", emails: [{ address: `API.${tag}@example.org`, type: "official" }] } }));
    expect(person.status).toBe(201);
    expect(person.body).toMatchObject({ displayName: "Api Person", status: "active", emails: [{ address: `API.${tag}@example.org`, type: "official", verified: false }] });
    const personId = person.body.id as number;
    const group = await json(await call(groups.POST, "POST", "/groups", { body: { name: uniqueName("g") } }));
    const groupId = group.body.id as number;
    expect(group.body.jobIds).toEqual([]);
    const put = await json(await call(groupMember.PUT, "PUT", `/groups/${groupId}/members/${personId}`, { body: { member: true }, params: { id: String(groupId), personId: String(personId) } }));
    expect(put.status).toBe(200);

    const list = await json(await call(emailLists.POST, "POST", "/email-lists", { body: { targetId, name: uniqueName("apil"), membersGroupId: groupId } }));
    expect(list.status).toBe(201);
    expect(list.body.mailmanListId).toBeNull();
    expect(list.body.jobIds).toHaveLength(1);
    const listId = String(list.body.id);

    const dry = await json(await call(emailListProvision.POST, "POST", `/email-lists/${listId}/provision?dryRun=true`, { params: { id: listId } }));
    expect((dry.body.plan as { op: string; email: string | null }[]).map((p) => `${p.op}:${p.email ?? ""}`)).toEqual(
      expect.arrayContaining(["create_list:" + "", `create_user:api.${tag}@example.org`, `subscribe:api.${tag}@example.org`].map((s) => (s === "create_list:" ? expect.stringMatching(/^create_list:/) : s))),
    );
    expect(await core.getUser(`api.${tag}@example.org`)).toBeNull();

    await runJobs(list.body.jobIds!);
    const jobId = String(list.body.jobIds![0]);
    const report = await json(await call(job.GET, "GET", `/jobs/${jobId}`, { params: { id: jobId } }));
    expect(report.body).toMatchObject({ status: "succeeded", subjectType: "list", action: "provision", attempts: 1 });
    expect(report.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ outcome: "subscribed", role: "member", email: `api.${tag}@example.org` })]));

    const provisioned = await json(await call(emailListItem.GET, "GET", `/email-lists/${listId}`, { params: { id: listId } }));
    const mailmanListId = provisioned.body.mailmanListId as string;
    const roster = await core.findMembers({ listId: mailmanListId }, { count: 100, page: 1 }, ["email", "role", "subscription_mode"]);
    expect(roster.entries.map((e) => `${e.role}:${e.email}:${e.subscription_mode}`)).toEqual([`member:api.${tag}@example.org:as_user`]);

    const rename = await json(await call(emailListItem.PATCH, "PATCH", `/email-lists/${listId}`, { body: { name: "renamed" }, params: { id: listId } }));
    expect(rename.status).toBe(409);

    const history = await json(await call(events.GET, "GET", `/events?personId=${personId}`));
    expect((history.body.items as { op: string }[]).map((e) => e.op)).toEqual(["create_user", "verify", "set_preferred", "subscribe"]);

    // The list's preferences: superusers and the Mailman list's owners; any other account gets 403.
    const ownerEmail = `owner.${tag}@example.org`;
    const ownerToken = (await createApiToken("owner", (await makeUser({ email: ownerEmail, verified: true })).id)).token;
    await core.subscribe({ listId: mailmanListId, subscriber: ownerEmail, role: "owner", preVerified: true, preConfirmed: true, preApproved: true });
    const asOwner = await json(await call(emailListPreferences.GET, "GET", `/email-lists/${listId}/preferences`, { params: { id: listId }, bearer: ownerToken }));
    expect(asOwner).toMatchObject({ status: 200, body: { items: [] } });
    expect((await call(emailListPreferences.GET, "GET", `/email-lists/${listId}/preferences`, { params: { id: listId }, bearer: memberToken })).status).toBe(403);
    expect((await call(emailListPreferences.GET, "GET", "/email-lists/999999/preferences", { params: { id: "999999" }, bearer: memberToken })).status).toBe(403);
    expect((await call(emailListPreferences.GET, "GET", `/email-lists/${listId}/preferences`, { params: { id: listId } })).status).toBe(200);

    const del = await json(await call(emailListItem.DELETE, "DELETE", `/email-lists/${listId}`, { params: { id: listId } }));
    expect(del.status).toBe(200);
    expect(del.body.jobIds).toHaveLength(1);
    await runJobs(del.body.jobIds!);
    expect(await core.getList(mailmanListId)).toBeNull();
  });

  it("a target set to manual queues nothing on changes (jobIds empty)", { timeout: 30_000 }, async () => {
    const patch = await json(await call(targetItem.PATCH, "PATCH", `/targets/${targetId}`, { body: { mode: "manual" }, params: { id: String(targetId) } }));
    expect(patch.status).toBe(200);
    expect(patch.body).toMatchObject({ mode: "manual", jobIds: [] });
    try {
      const list = await json(await call(emailLists.POST, "POST", "/email-lists", { body: { targetId, name: uniqueName("man") } }));
      expect(list.body.jobIds).toEqual([]);
    } finally {
      await call(targetItem.PATCH, "PATCH", `/targets/${targetId}`, { body: { mode: "automatic" }, params: { id: String(targetId) } });
    }
  });
});
