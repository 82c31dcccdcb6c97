import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { loadViewer, type Viewer } from "@/lib/auth/users";
import { personOf } from "@/lib/identity/addresses";
import { ensureCoreUser } from "@/lib/identity/core-user";
import { withMailmanCallLog } from "@/lib/mailman/instrumentation";
import { allRequests } from "@/lib/mailman/requests";
import { clientForTarget, listTargets, type TargetSummary } from "@/lib/targets/targets";
import { makeTarget, makeUser, unique } from "@/tests/support/factories";
import { getDb } from "@/db/client";
import { selfServiceRequests, userEmails } from "@/db/schema";
import { loadMyLists } from "./my-lists";
import { cancelRequest, subscribe, unsubscribe } from "./subscriptions";

let target: TargetSummary;
beforeAll(async () => {
  target = await makeTarget(await makeUser({ superuser: true }));
});

async function newList(policy?: { subscription?: string; unsubscription?: string; advertised?: boolean }) {
  const { client } = await clientForTarget(target.id);
  const listId = await client.createList({ fqdnListname: `${unique("l")}@${target.domain}` });
  const patch: Record<string, unknown> = {};
  if (policy?.subscription) patch.subscription_policy = policy.subscription;
  if (policy?.unsubscription) patch.unsubscription_policy = policy.unsubscription;
  if (policy?.advertised !== undefined) patch.advertised = policy.advertised;
  if (Object.keys(patch).length) await client.patchListConfig(listId, patch);
  return listId;
}

async function withSecondAddress(viewer: Viewer, verified: boolean): Promise<{ viewer: Viewer; email: string }> {
  const email = `${unique("alt")}@people.example.test`;
  const db = await getDb();
  await db.insert(userEmails).values({ userId: viewer.id, email, verified, verifiedAt: verified ? new Date() : null });
  return { viewer: (await loadViewer(viewer.id))!, email };
}

const entryOf = async (viewer: Viewer, listId: string) => (await loadMyLists(viewer)).entries.find((e) => e.listId === listId && e.targetId === target.id);

describe("My lists: subscribe and unsubscribe in one click", () => {
  it("subscribes as primary address and as a specific address, within the call budget", async () => {
    const { viewer, email: alt } = await withSecondAddress(await makeUser(), true);
    const { client } = await clientForTarget(target.id);
    await ensureCoreUser(client, target.id, personOf(viewer)); // made on the first subscription; here up front, so the budget is the steady one
    const [a, b] = [await newList(), await newList()];

    const first = await withMailmanCallLog(() => subscribe(viewer, { targetId: target.id, listId: a, address: "primary" }));
    expect(first.result.state).toBe("subscribed");
    expect(first.calls.length).toBeLessThanOrEqual(2);
    const second = await withMailmanCallLog(() => subscribe(viewer, { targetId: target.id, listId: b, address: alt }));
    expect(second.result.state).toBe("subscribed");
    expect(second.calls.length).toBeLessThanOrEqual(2);

    const serversBefore = (await listTargets()).length;
    const view = await withMailmanCallLog(() => loadMyLists(viewer));
    // One call per server for its lists, one per verified address per server. Other suites register
    // more servers in the shared database (all on the one test core), and each is a server here.
    // Servers they left behind that no longer answer are retried, not answered: not counted.
    const servers = Math.max(serversBefore, (await listTargets()).length);
    const answered = view.calls.filter((c) => c.status !== "transport-error");
    expect(answered.length).toBeLessThanOrEqual(servers * (1 + viewer.verifiedEmails.length));
    expect(view.calls.every((c) => c.method === "GET")).toBe(true);
    const ea = view.result.entries.find((e) => e.listId === a)!;
    expect(ea.state).toBe("subscribed");
    expect(ea.subscriptions).toEqual([expect.objectContaining({ via: "primary", email: viewer.primaryEmail })]);
    const eb = view.result.entries.find((e) => e.listId === b)!;
    expect(eb.subscriptions).toEqual([expect.objectContaining({ via: "address", email: alt })]);

    const off = await withMailmanCallLog(() => unsubscribe(viewer, { targetId: target.id, listId: a, memberId: ea.subscriptions[0]!.memberId }));
    expect(off.result.state).toBe("not_subscribed");
    expect(off.calls.length).toBeLessThanOrEqual(2);
    expect((await entryOf(viewer, a))?.state).toBe("not_subscribed");
  });

  it("ends moderated subscribe and unsubscribe in 'waiting for approval' and never files a second request (Q-8)", async () => {
    const viewer = await makeUser();
    const { client } = await clientForTarget(target.id);
    const listId = await newList({ subscription: "moderate", unsubscription: "moderate" });
    const once = await subscribe(viewer, { targetId: target.id, listId, address: "primary" });
    expect(once.state).toBe("pending_approval");
    const twice = await withMailmanCallLog(() => subscribe(viewer, { targetId: target.id, listId, address: "primary" }));
    expect(twice.result.state).toBe("pending_approval");
    expect(twice.calls).toEqual([]);
    const [request] = await allRequests(client, listId, { requestType: "subscription" });
    expect(request).toBeDefined();
    // The stored token is sealed: the database alone cannot withdraw or accept the request.
    const [stored] = await (await getDb()).select().from(selfServiceRequests).where(eq(selfServiceRequests.accountId, viewer.id));
    expect(stored!.token).not.toContain(request!.token);
    const entry = (await entryOf(viewer, listId))!;
    expect(entry.state).toBe("pending_approval");
    // Cancel withdraws it in the core too.
    await cancelRequest(viewer, entry.pending!.id);
    expect(await allRequests(client, listId, { requestType: "subscription" })).toHaveLength(0);

    // Subscribed by a moderator, then unsubscribing waits, once.
    const userId = (await ensureCoreUser(client, target.id, personOf(viewer))).userId;
    await client.subscribe({ listId, subscriber: userId, preVerified: true, preConfirmed: true, preApproved: true });
    const memberId = (await entryOf(viewer, listId))!.subscriptions[0]!.memberId;
    expect((await unsubscribe(viewer, { targetId: target.id, listId, memberId })).state).toBe("pending_unsubscribe");
    expect((await unsubscribe(viewer, { targetId: target.id, listId, memberId })).state).toBe("pending_unsubscribe");
    expect(await allRequests(client, listId, { requestType: "unsubscription" })).toHaveLength(1);
    expect((await entryOf(viewer, listId))?.state).toBe("pending_unsubscribe");
  });

  it("never shows, subscribes or unsubscribes an unverified address as the claimant's (CVE-2021-40347)", async () => {
    const { viewer, email: claimed } = await withSecondAddress(await makeUser(), false);
    const { client } = await clientForTarget(target.id);
    const listId = await newList({ advertised: false });
    // Someone else's subscription of the address the viewer merely typed in.
    await client.subscribe({ listId, subscriber: claimed, preVerified: true, preConfirmed: true, preApproved: true });
    const memberId = (await client.findMembers({ listId, subscriber: claimed }, { count: 5, page: 1 })).entries[0]!.member_id!;
    expect(await entryOf(viewer, listId)).toBeUndefined();
    await expect(unsubscribe(viewer, { targetId: target.id, listId, memberId })).rejects.toThrow(/does not exist/);
    await expect(subscribe(viewer, { targetId: target.id, listId: await newList(), address: claimed })).rejects.toThrow(/not one of your confirmed addresses/);
    expect(await client.rosterSize(listId, "member")).toBe(1);
  });

  it("shows owner and moderator badges of unadvertised lists where a verified address has a role", async () => {
    const viewer = await makeUser();
    const { client } = await clientForTarget(target.id);
    const listId = await newList({ advertised: false });
    await client.subscribe({ listId, subscriber: viewer.primaryEmail!, role: "owner", preVerified: true, preConfirmed: true, preApproved: true });
    const entry = (await entryOf(viewer, listId))!;
    expect(entry.roles).toEqual(["owner"]);
    expect(entry.state).toBe("not_subscribed");
  });
});
