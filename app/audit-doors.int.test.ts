import { eq } from "drizzle-orm";
import { createSafeActionClient } from "next-safe-action";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { getDb } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { runActionAudited } from "@/lib/actions/action-audit";
import { describeActionError, type ActionFailure } from "@/lib/actions/action-failure";
import { createApiToken } from "@/lib/auth/api-tokens";
import { authorizeList, type ListAccess } from "@/lib/auth/list-access";
import type { Viewer } from "@/lib/auth/users";
import { addListBan, removeListBan } from "@/lib/bans/bans";
import { isBanned } from "@/lib/mailman/bans";
import { createConnector } from "@/lib/scim/connectors";
import { testClient, testCore, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser, unique } from "@/tests/support/factories";
import * as groups from "./api/v1/groups/[id]/route";
import * as targets from "./api/v1/targets/route";
import * as scimGroup from "./scim/v2/Groups/[id]/route";

/**
 * Every door writes the audit rows of what it did, through the one writer (lib/audit/record.ts),
 * with its own actor, and a failed call leaves a failed row with the error's words: a server
 * action (the real next-safe-action chain with the console's audit middleware), the JSON API and
 * SCIM through their route handlers, against the real core.
 */

const core = testClient();
let admin: Viewer;
let owner: Viewer;
let access: ListAccess;

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

function call(handler: Handler, url: string, method: string, bearer: string, options: { body?: unknown; params?: Record<string, string> } = {}) {
  const request = new Request(url, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(options.body !== undefined ? { "content-type": "application/json" } : {}) },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  return handler(request, { params: Promise.resolve(options.params ?? {}) });
}

async function rowsAbout(subject: string) {
  const db = await getDb();
  return db.select().from(auditEvents).where(eq(auditEvents.subject, subject)).orderBy(auditEvents.id);
}

beforeAll(async () => {
  admin = await makeUser({ superuser: true });
  owner = await makeUser();
  const target = await makeTarget(admin);
  const listId = await core.createList({ fqdnListname: `${uniqueName("doors")}@${target.domain}` });
  await core.subscribe({ listId, subscriber: owner.verifiedEmails[0]!, role: "owner", preVerified: true, preConfirmed: true, preApproved: true });
  access = await authorizeList(owner, target.id, listId, "administer");
});

describe("a server action", () => {
  // The console's chain: the same error shaping as lib/actions/safe-action.ts and its audit
  // middleware; only the session lookup (a Next request) is replaced by the signed-in owner.
  const ownerAction = createSafeActionClient<"flattened", ActionFailure>({
    defaultValidationErrorsShape: "flattened",
    handleServerError: (error) => describeActionError(error),
  }).use(async ({ next }) => runActionAudited(owner.id, () => next({ ctx: { viewer: owner } })));
  const banSchema = z.object({ email: z.string() });
  const addBanAction = ownerAction.inputSchema(banSchema).action(async ({ parsedInput }) => addListBan(access, { targetId: access.target.id, listId: access.list.list_id, email: parsedInput.email }));
  const removeBanAction = ownerAction.inputSchema(banSchema).action(async ({ parsedInput }) => {
    await removeListBan(access, { targetId: access.target.id, listId: access.list.list_id, email: parsedInput.email });
  });

  it("writes the person's change once, and the core's refusal as a failed row with its message", async () => {
    const email = `${unique("ban")}@spam.example.test`;
    expect((await addBanAction({ email })).data).toEqual({ email });
    // Not banned: the core answers 404 and the action fails.
    const stranger = `${unique("never")}@spam.example.test`;
    const refused = await removeBanAction({ email: stranger });
    expect(refused.serverError?.message).toMatch(/is not banned/);

    const rows = (await rowsAbout(access.list.list_id)).filter((r) => [email, stranger].includes(String(r.detail.email)));
    expect(rows.map((r) => [r.action, r.outcome, r.actorKind, r.actorUserId, r.detail.email])).toEqual([
      ["ban.add", "ok", "user", owner.id, email],
      ["ban.remove", "failed", "user", owner.id, stranger],
    ]);
    expect(rows[1]!.detail.error).toBe(refused.serverError?.message);
    // The core was really asked and really has the one ban.
    expect(await isBanned(core, { listId: access.list.list_id }, email)).toBe(true);
  });
});

describe("the JSON API", () => {
  it("names the API token as the actor of a failed core call and of a refused declared action", async () => {
    const tokenName = unique("ci-");
    const { token } = await createApiToken(tokenName, admin.id);
    const name = unique("server-");
    const c = testCore();
    // The core refuses the credentials: nothing is saved, the attempt is in the log.
    const response = await call(targets.POST, "http://localhost/api/v1/targets", "POST", token, {
      body: { name, serverUrl: c.restUrl, adminUser: c.user, adminPassword: "not-the-password", domain: `${unique("d")}.example.test` },
    });
    expect(response.status).toBe(422);
    const [row, ...more] = await rowsAbout(name);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ action: "target.create", outcome: "failed", actorKind: "api_token", actorLabel: tokenName, actorUserId: admin.id });
    expect(row!.detail.error).toMatch(/credentials/);

    // A declared action (PATCH /groups/{id}) that fails leaves its own failed row.
    const missing = await call(groups.PATCH, "http://localhost/api/v1/groups/999999", "PATCH", token, { body: { name: "x" }, params: { id: "999999" } });
    expect(missing.status).toBe(404);
    expect((await rowsAbout("/api/v1/groups/999999")).filter((r) => r.actorLabel === tokenName).map((r) => [r.action, r.outcome, r.detail.method])).toEqual([
      ["registry.group", "failed", "PATCH"],
    ]);
  });
});

describe("SCIM", () => {
  it("names the connector as the actor of a refused write, with SCIM's own words", async () => {
    const connectorName = unique("entra-");
    const { token } = await createConnector({ name: connectorName }, admin.id);
    const id = `g${unique()}`;
    const response = await call(scimGroup.PATCH, `http://localhost/scim/v2/Groups/${id}`, "PATCH", token, {
      body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "displayName", value: "x" }] },
      params: { id },
    });
    expect(response.status).toBe(404);
    const detail = ((await response.json()) as { detail: string }).detail;
    const rows = await rowsAbout(`/scim/v2/Groups/${id}`);
    expect(rows.map((r) => [r.action, r.outcome, r.actorKind, r.actorLabel, r.actorUserId, r.detail.error])).toEqual([
      ["registry.group", "failed", "scim", connectorName, null, detail],
    ]);
  });
});
