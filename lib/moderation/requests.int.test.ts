import { beforeAll, describe, expect, it } from "vitest";
import { authorizeList, type ListAccess } from "@/lib/auth/list-access";
import type { Viewer } from "@/lib/auth/users";
import { ForbiddenError } from "@/lib/errors";
import { withMailmanCallLog, type MailmanClient } from "@/lib/mailman";
import { isBanned } from "@/lib/mailman/bans";
import { countRequests, moderateRequest } from "@/lib/mailman/requests";
import type { TargetSummary } from "@/lib/targets/targets";
import { waitForMail } from "@/scripts/lib/local-core";
import { testClient, testCore, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { countPendingRequests, loadRequestsPage, moderateRequests, STALE_REQUEST } from "./requests";

let superuser: Viewer;
let target: TargetSummary;
let core: MailmanClient;

beforeAll(async () => {
  superuser = await makeUser({ superuser: true });
  target = await makeTarget(superuser);
  core = testClient();
});

const pre = { preVerified: true, preConfirmed: true, preApproved: true } as const;

async function moderatedList(config: Record<string, unknown> = { subscription_policy: "moderate" }): Promise<{ listId: string; access: ListAccess }> {
  const owner = await makeUser();
  const listId = await core.createList({ fqdnListname: `${uniqueName("req")}@${target.domain}` });
  await core.subscribe({ listId, subscriber: owner.verifiedEmails[0]!, role: "owner", ...pre });
  await core.patchListConfig(listId, config);
  return { listId, access: await authorizeList(owner, target.id, listId, "moderate") };
}

const person = () => `${uniqueName("p")}@people.example.test`;

async function pendingSubscription(listId: string, email: string, confirmed = true): Promise<{ token: string; tokenOwner: string }> {
  const result = await core.subscribe({ listId, subscriber: email, preVerified: true, preConfirmed: confirmed });
  if (result.kind !== "pending") throw new Error(`expected a pending subscription, got ${result.kind}`);
  return result;
}

async function isMember(listId: string, email: string): Promise<boolean> {
  const found = await core.findMembers({ listId, subscriber: email, role: "member" }, { count: 5, page: 1 });
  return found.total > 0;
}

describe("subscription requests", () => {
  it("approves a pending request on a moderated list; the page costs one call per tab", async () => {
    const { listId, access } = await moderatedList();
    const email = person();
    const { token, tokenOwner } = await pendingSubscription(listId, email);
    expect(tokenOwner).toBe("moderator");

    const { result: page, calls } = await withMailmanCallLog(() => loadRequestsPage(access.client, listId, "approval", 1));
    expect(calls).toHaveLength(3);
    expect(page.entries).toEqual([{ token, email, displayName: expect.any(String), when: expect.any(String) }]);
    expect(page.counts).toEqual({ approval: 1, confirmation: 0, unsubscriptions: 0 });
    expect(await countPendingRequests(core, listId)).toBe(1);

    const results = await moderateRequests(access, { targetId: target.id, listId, tab: "approval", items: [{ token, email }], action: "accept" });
    expect(results).toEqual([{ id: token, outcome: "done", message: `Approved: ${email} is subscribed.` }]);
    expect(await isMember(listId, email)).toBe(true);
    expect(await countPendingRequests(core, listId)).toBe(0);

    // Handled already: a plain result, not an error.
    expect(await moderateRequests(access, { targetId: target.id, listId, tab: "approval", items: [{ token, email }], action: "accept" })).toEqual([
      { id: token, outcome: "stale", message: STALE_REQUEST },
    ]);
  });

  it("rejects with a reason that reaches the person, discards, defers, in bulk with a result each", async () => {
    const { listId, access } = await moderatedList();
    const [rejected, discarded, deferred] = [person(), person(), person()];
    const r = await pendingSubscription(listId, rejected);
    const d = await pendingSubscription(listId, discarded);
    const f = await pendingSubscription(listId, deferred);
    const reason = `Members of the board only ${uniqueName("why")}`;
    const ref = { targetId: target.id, listId, tab: "approval" as const };

    expect(await moderateRequests(access, { ...ref, items: [{ token: r.token, email: rejected }], action: "reject", reason })).toMatchObject([{ outcome: "done" }]);
    const notice = await waitForMail(testCore().maildir, (m) => m.to.includes(rejected) && m.body.includes(reason), 45_000);
    expect(notice.body).toContain(reason);

    const bulk = await moderateRequests(access, { ...ref, items: [{ token: d.token, email: discarded }, { token: "nosuchtoken0", email: "x@y.example" }], action: "discard" });
    expect(bulk.map((x) => x.outcome)).toEqual(["done", "stale"]);
    expect(await moderateRequests(access, { ...ref, items: [{ token: f.token, email: deferred }], action: "defer" })).toMatchObject([{ outcome: "done" }]);

    const page = await loadRequestsPage(core, listId, "approval", 1);
    expect(page.entries.map((e) => e.email)).toEqual([deferred]);
    for (const email of [rejected, discarded, deferred]) expect(await isMember(listId, email)).toBe(false);
  });

  it("reports a token replaced under the moderator (Q-14) plainly, with where the address is now", async () => {
    const { listId, access } = await moderatedList({ subscription_policy: "confirm_then_moderate" });
    const email = person();
    const first = await pendingSubscription(listId, email, false);
    expect(first.tokenOwner).toBe("subscriber");
    const confirmation = await loadRequestsPage(core, listId, "confirmation", 1);
    expect(confirmation.entries.map((e) => e.token)).toEqual([first.token]);

    // The person confirms (as their link would) while the moderator still looks at the old token.
    await moderateRequest(core, listId, first.token, "accept");
    expect(await countRequests(core, listId, { tokenOwner: "moderator", requestType: "subscription" })).toBe(1);

    const [result] = await moderateRequests(access, { targetId: target.id, listId, tab: "confirmation", items: [{ token: first.token, email }], action: "discard" });
    expect(result).toEqual({ id: first.token, outcome: "stale", message: `${STALE_REQUEST} It is now awaiting approval.` });

    const approval = await loadRequestsPage(core, listId, "approval", 1);
    expect(approval.entries.map((e) => e.email)).toEqual([email]);
    expect(approval.entries[0]!.token).not.toBe(first.token);
  });

  it("acts only on tokens of the guarded list: list B's moderator cannot handle list A's request through B", async () => {
    const a = await moderatedList();
    const b = await moderatedList();
    const email = person();
    const { token } = await pendingSubscription(a.listId, email);
    for (const action of ["accept", "discard", "ban"] as const) {
      const results = await moderateRequests(b.access, { targetId: target.id, listId: b.listId, tab: "approval", items: [{ token, email }], action });
      expect(results).toEqual([{ id: token, outcome: "stale", message: STALE_REQUEST }]);
    }
    expect(await isMember(a.listId, email)).toBe(false);
    expect(await isMember(b.listId, email)).toBe(false);
    expect(await countRequests(core, a.listId, { tokenOwner: "moderator", requestType: "subscription" })).toBe(1);
    expect(await isBanned(core, { listId: b.listId }, email)).toBe(false);
    // A's own moderator still can.
    expect(await moderateRequests(a.access, { targetId: target.id, listId: a.listId, tab: "approval", items: [{ token, email }], action: "accept" })).toMatchObject([
      { outcome: "done" },
    ]);
    expect(await isMember(a.listId, email)).toBe(true);
  });

  it("approves an unsubscription request", async () => {
    const { listId, access } = await moderatedList({ unsubscription_policy: "moderate" });
    const email = person();
    const subscribed = await core.subscribe({ listId, subscriber: email, ...pre });
    if (subscribed.kind !== "subscribed") throw new Error("not subscribed");
    await core.deleteMember(subscribed.memberId);
    const page = await loadRequestsPage(core, listId, "unsubscriptions", 1);
    expect(page.entries.map((e) => e.email)).toEqual([email]);
    expect(page.counts).toMatchObject({ approval: 0, unsubscriptions: 1 });
    expect(await countPendingRequests(core, listId)).toBe(1);

    const [result] = await moderateRequests(access, { targetId: target.id, listId, tab: "unsubscriptions", items: [{ token: page.entries[0]!.token, email }], action: "accept" });
    expect(result).toMatchObject({ outcome: "done", message: `Approved: ${email} is unsubscribed.` });
    expect(await isMember(listId, email)).toBe(false);
  });

  it("bans the address of a request and discards it (owners only)", async () => {
    const { listId, access } = await moderatedList();
    const email = person();
    const { token } = await pendingSubscription(listId, email);

    const moderator = await makeUser();
    await core.subscribe({ listId, subscriber: moderator.verifiedEmails[0]!, role: "moderator", ...pre });
    const moderatorAccess = await authorizeList(moderator, target.id, listId, "moderate");
    const input = { targetId: target.id, listId, tab: "approval" as const, items: [{ token, email: "shown@elsewhere.example" }], action: "ban" as const };
    await expect(moderateRequests(moderatorAccess, input)).rejects.toBeInstanceOf(ForbiddenError);
    // A moderator may still approve, reject, discard and defer.
    expect(await moderateRequests(moderatorAccess, { ...input, action: "defer" })).toMatchObject([{ outcome: "done" }]);

    // The address banned is the core's, not the one the browser sent along.
    expect(await moderateRequests(access, input)).toMatchObject([{ outcome: "done", message: `Banned ${email} from this list and discarded the request.` }]);
    expect(await isBanned(core, { listId }, email)).toBe(true);
    expect(await isBanned(core, { listId }, "shown@elsewhere.example")).toBe(false);
    expect(await countPendingRequests(core, listId)).toBe(0);
  });
});
