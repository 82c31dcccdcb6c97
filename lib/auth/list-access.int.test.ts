import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { NotFoundError } from "@/lib/errors";
import { onMailmanCall, withMailmanCallLog, type MailmanClient } from "@/lib/mailman";
import { countBadges, forgetBadgeCounts, loadBadgeCounts } from "@/lib/moderation/badges";
import { moderateRequests, countPendingRequests } from "@/lib/moderation/requests";
import type { TargetSummary } from "@/lib/targets/targets";
import { testClient, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { authorizeList, authorizeListWith } from "./list-access";
import type { Viewer } from "./users";

/**
 * One round trip per list page (issue 13): the guard's calls and the page's read start together,
 * the read reaches the caller only when the guard lets the viewer in, and what each costs in core
 * calls is pinned here against the real core.
 */
let core: MailmanClient;
let target: TargetSummary;
let superuser: Viewer;
let owner: Viewer;
let stranger: Viewer;
let hiddenList: string;
let hiddenPosting: string;

const pre = { preVerified: true, preConfirmed: true, preApproved: true, sendWelcomeMessage: false } as const;

beforeAll(async () => {
  core = testClient();
  superuser = await makeUser({ superuser: true });
  target = await makeTarget(superuser);
  [owner, stranger] = await Promise.all([makeUser(), makeUser()]);
  hiddenPosting = `${uniqueName("rt")}@${target.domain}`;
  hiddenList = await core.createList({ fqdnListname: hiddenPosting });
  await core.patchListConfig(hiddenList, { advertised: false, subscription_policy: "moderate" });
  await core.subscribe({ listId: hiddenList, subscriber: owner.verifiedEmails[0]!, role: "owner", ...pre });
});

/** Every core call made while `fn` runs, with when it started and ended. */
async function timed<T>(fn: () => Promise<T>) {
  const spans: { path: string; start: number; end: number }[] = [];
  const stop = onMailmanCall((c) => {
    const end = performance.now();
    spans.push({ path: c.path, start: end - c.ms, end });
  });
  try {
    const { result, calls } = await withMailmanCallLog(fn);
    return { result, calls, spans };
  } finally {
    stop();
  }
}

/** True when every call started before any of them ended: one round trip, not a queue. */
const allOverlap = (spans: readonly { start: number; end: number }[]) => Math.max(...spans.map((s) => s.start)) < Math.min(...spans.map((s) => s.end));

describe("authorizeListWith", () => {
  it("a superuser's page costs two calls, the list and its data, in flight together", async () => {
    const { result, calls, spans } = await timed(async () => {
      const { access, data } = await authorizeListWith(superuser, target.id, hiddenList, "administer", (ref) => ref.client.getListConfig(ref.list.list_id));
      return { access, config: await data };
    });
    expect(result.access.list.list_id).toBe(hiddenList);
    expect(result.config.fqdn_listname).toBe(hiddenPosting);
    expect(calls.map((c) => c.path.replace(/\?.*/, "")).sort()).toEqual([`/lists/${hiddenList}`, `/lists/${hiddenList}/config`]);
    expect(allOverlap(spans)).toBe(true);
  });

  it("an owner's page costs three calls (list, role look-up, data), all in flight together", async () => {
    const { result, calls, spans } = await timed(async () => {
      const { access, data } = await authorizeListWith(owner, target.id, hiddenList, "administer", (ref) => ref.client.getListConfig(ref.list.list_id));
      return { access, config: await data };
    });
    expect(result.access.roles.has("owner")).toBe(true);
    expect(calls).toHaveLength(3);
    expect(allOverlap(spans)).toBe(true);
  });

  it("drops the read unread when the guard refuses: a stranger learns nothing of a hidden list", async () => {
    let handedOut = false;
    const attempt = authorizeListWith(stranger, target.id, hiddenList, "view", async (ref) => {
      const config = await ref.client.getListConfig(ref.list.list_id);
      return config;
    }).then(async ({ data }) => {
      handedOut = true;
      return data;
    });
    await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
    expect(handedOut).toBe(false);
  });

  it("reads again with the list's own id when the URL named its posting address", async () => {
    const seen: string[] = [];
    const { result, calls } = await timed(async () => {
      const { data } = await authorizeListWith(superuser, target.id, hiddenPosting, "view", async (ref) => {
        seen.push(ref.list.list_id);
        return ref.client.getListConfig(ref.list.list_id);
      });
      return data;
    });
    expect(seen).toEqual([hiddenList]);
    expect(result.fqdn_listname).toBe(hiddenPosting);
    expect(calls).toHaveLength(2);
  });

  it("keeps the plain guard at one call for a superuser and two for an owner", async () => {
    expect((await withMailmanCallLog(() => authorizeList(superuser, target.id, hiddenList, "view"))).calls).toHaveLength(1);
    expect((await withMailmanCallLog(() => authorizeList(owner, target.id, hiddenList, "view"))).calls).toHaveLength(2);
  });

  it("takes the list read a page started before loading the account instead of asking again, and still refuses a stranger", async () => {
    const started = core.getList(hiddenList);
    const { result, calls } = await withMailmanCallLog(() => authorizeList(superuser, target.id, hiddenList, "administer", started));
    expect(calls).toHaveLength(0);
    expect(result.list.list_id).toBe(hiddenList);

    const refused = await authorizeList(stranger, target.id, hiddenList, "view", core.getList(hiddenList)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NotFoundError);
    const missing = await authorizeList(superuser, target.id, `${uniqueName("gone")}.${target.domain}`, "view", Promise.resolve(null)).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
  });
});

describe("list badges", () => {
  afterEach(() => forgetBadgeCounts(target.id, hiddenList));

  it("count held messages and every request awaiting a moderator in two calls, then none until a decision", async () => {
    const email = `${uniqueName("p")}@people.example.test`;
    const pending = await core.subscribe({ listId: hiddenList, subscriber: email, preVerified: true, preConfirmed: true });
    if (pending.kind !== "pending") throw new Error(`expected a pending subscription, got ${pending.kind}`);

    const first = await withMailmanCallLog(() => countBadges(core, hiddenList));
    expect(first.calls).toHaveLength(2);
    expect(first.result).toEqual({ held: 0, requests: await countPendingRequests(core, hiddenList) });
    expect(first.result.requests).toBe(1);

    expect((await withMailmanCallLog(() => loadBadgeCounts(core, target.id, hiddenList))).calls).toHaveLength(2);
    const cached = await withMailmanCallLog(() => loadBadgeCounts(core, target.id, hiddenList));
    expect(cached.calls).toHaveLength(0);
    expect(cached.result.requests).toBe(1);

    // Listkeeper's own decision forgets the counts: the next view sees it at once.
    const access = await authorizeList(owner, target.id, hiddenList, "moderate");
    await moderateRequests(access, { targetId: target.id, listId: hiddenList, tab: "approval", items: [{ token: pending.token, email }], action: "accept" });
    const after = await withMailmanCallLog(() => loadBadgeCounts(core, target.id, hiddenList));
    expect(after.calls).toHaveLength(2);
    expect(after.result).toEqual({ held: 0, requests: 0 });
  });
});
