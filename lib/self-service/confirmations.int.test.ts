import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { subscriptionConfirmations } from "@/db/schema";
import { CHECK_YOUR_MAIL, signUp } from "@/lib/accounts/accounts";
import { findCredentialsByEmail, loadViewer, type Viewer } from "@/lib/auth/users";
import { env } from "@/lib/env";
import { confirmAddress } from "@/lib/identity/addresses";
import { withMailmanCallLog } from "@/lib/mailman/instrumentation";
import { allRequests, moderateRequest } from "@/lib/mailman/requests";
import { clientForTarget, listTargets, type TargetSummary } from "@/lib/targets/targets";
import { waitForMail, type SentMessage } from "@/scripts/lib/local-core";
import { testCore } from "@/tests/support/core";
import { makeTarget, makeUser, unique } from "@/tests/support/factories";
import { anonymousSubscribe, confirmSubscription, issueFormStamp, peekConfirmation } from "./anonymous";
import { cancelConfirmation, resendConfirmation } from "./confirmations";
import { loadMyLists } from "./my-lists";
import { cancelRequest, subscribe } from "./subscriptions";

let target: TargetSummary;
beforeAll(async () => {
  (env as { SIGNUP: string }).SIGNUP = "open";
  target = await makeTarget(await makeUser({ superuser: true }));
});

let n = 0;
const visitor = () => ({ clientAddress: `198.51.100.${(n++ % 200) + 1}` });
const tenSecondsAgo = () => issueFormStamp(Date.now() - 10_000);
const tokenIn = (mail: SentMessage) => /confirm ([0-9a-f]{20,})/i.exec(mail.subject + mail.body)![1]!;
const coreConfirmation = (email: string, not?: string) =>
  waitForMail(testCore().maildir, (m) => m.to.includes(email) && /confirm [0-9a-f]{20,}/i.test(m.subject + m.body) && (!not || !(m.subject + m.body).includes(not)), 30_000);
const entryOf = async (viewer: Viewer, listId: string) => (await loadMyLists(viewer)).entries.find((e) => e.listId === listId && e.targetId === target.id)!;
const recordsOf = async (email: string) => (await getDb()).select().from(subscriptionConfirmations).where(eq(subscriptionConfirmations.email, email));

async function confirmList(): Promise<string> {
  const { client } = await clientForTarget(target.id);
  const listId = await client.createList({ fqdnListname: `${unique("conf")}@${target.domain}` });
  await client.patchListConfig(listId, { subscription_policy: "confirm", advertised: true });
  return listId;
}

describe("My lists: subscriptions waiting for the subscriber's confirmation", () => {
  it("shows a visitor's request to the account that later confirms the address, files no second one (Q-8), and ends it on confirmation", async () => {
    const listId = await confirmList();
    const { client } = await clientForTarget(target.id);
    const email = `${unique("visitor")}@people.example.test`;
    // A visitor without an account subscribes from the list's public page; the core mails its confirmation.
    await anonymousSubscribe({ targetId: target.id, listId, email, stamp: tenSecondsAgo() }, visitor());
    const token = tokenIn(await coreConfirmation(email));
    const [record] = await recordsOf(email);
    expect(record).toMatchObject({ targetId: target.id, listId, email });
    // Sealed: the database alone gives no working link.
    expect(record!.tokenSealed).not.toContain(token);

    // Later the same person signs up with that address and confirms it from Listkeeper's mail.
    expect(await signUp({ email, password: "a long enough password" }, visitor())).toEqual({ message: CHECK_YOUR_MAIL });
    const accountId = (await findCredentialsByEmail(email))!.id;
    const unconfirmed = (await loadViewer(accountId))!;
    expect((await entryOf(unconfirmed, listId)).state).toBe("not_subscribed");
    const signup = await waitForMail(testCore().maildir, (m) => m.to.includes(email) && m.subject.includes("Confirm your Listkeeper account"), 15_000);
    await confirmAddress(/\/verify-email\?token=([A-Za-z0-9_-]+)/.exec(signup.body)![1]!);
    const viewer = (await loadViewer(accountId))!;

    const serversBefore = (await listTargets()).length;
    const view = await withMailmanCallLog(() => loadMyLists(viewer));
    const servers = Math.max(serversBefore, (await listTargets()).length);
    // The page budget holds: one call per server, one per verified address per server, all reads.
    expect(view.calls.filter((c) => c.status !== "transport-error").length).toBeLessThanOrEqual(servers * (1 + viewer.verifiedEmails.length));
    expect(view.calls.every((c) => c.method === "GET")).toBe(true);
    const entry = view.result.entries.find((e) => e.listId === listId && e.targetId === target.id)!;
    expect(entry.state).toBe("pending_confirmation");
    expect(entry.confirmation).toMatchObject({ email });

    // One click on Subscribe files nothing while the confirmation waits, with either address choice.
    for (const address of ["primary", email]) {
      const again = await withMailmanCallLog(() => subscribe(viewer, { targetId: target.id, listId, address }));
      expect(again.result.state).toBe("pending_confirmation");
      expect(again.result.message).toContain(email);
      expect(again.calls).toEqual([]);
    }
    expect(await allRequests(client, listId, { requestType: "subscription" })).toHaveLength(1);

    // The link of the core's mail lands on Listkeeper's confirm page, which confirms it.
    expect(await confirmSubscription({ targetId: target.id, list: listId, token })).toMatchObject({ state: "subscribed", email });
    expect(await recordsOf(email)).toEqual([]);
    const after = await entryOf(viewer, listId);
    expect(after.state).toBe("subscribed");
    expect(after.confirmation).toBeNull();
    expect(after.subscriptions).toEqual([expect.objectContaining({ email })]);
  });

  it("sends the mail again with a new link (the old one stops working) and cancels; a request gone from the core is forgotten", async () => {
    const listId = await confirmList();
    const { client } = await clientForTarget(target.id);
    const email = `${unique("again")}@people.example.test`;
    await anonymousSubscribe({ targetId: target.id, listId, email, stamp: tenSecondsAgo() }, visitor());
    const first = tokenIn(await coreConfirmation(email));
    const viewer = await makeUser({ email, verified: true });
    const { confirmation } = await entryOf(viewer, listId);
    expect(confirmation).toMatchObject({ email });

    // Nobody else can act on it, not even knowing its id.
    const stranger = await makeUser();
    await expect(resendConfirmation(stranger, confirmation!.id)).rejects.toThrow(/gone/);
    await expect(cancelConfirmation(stranger, confirmation!.id)).rejects.toThrow(/gone/);

    const resent = await withMailmanCallLog(() => resendConfirmation(viewer, confirmation!.id));
    expect(resent.result.state).toBe("pending_confirmation");
    expect(resent.calls.map((c) => c.method)).toEqual(["POST", "POST"]);
    const second = tokenIn(await coreConfirmation(email, first));
    expect(second).not.toBe(first);
    expect(await peekConfirmation({ targetId: target.id, list: listId, token: first })).toBeNull();
    expect(await peekConfirmation({ targetId: target.id, list: listId, token: second })).toEqual({ email, listId });
    expect(await allRequests(client, listId, { requestType: "subscription" })).toHaveLength(1);

    const waiting = await entryOf(viewer, listId);
    expect(waiting.state).toBe("pending_confirmation");
    const cancelled = await withMailmanCallLog(() => cancelConfirmation(viewer, waiting.confirmation!.id));
    expect(cancelled.result.state).toBe("not_subscribed");
    expect(cancelled.calls).toHaveLength(1);
    expect(await allRequests(client, listId, { requestType: "subscription" })).toEqual([]);
    expect(await entryOf(viewer, listId)).toMatchObject({ state: "not_subscribed", confirmation: null });

    // Withdrawn in the core behind Listkeeper's back: the next action finds it gone and forgets it.
    const otherList = await confirmList();
    await anonymousSubscribe({ targetId: target.id, listId: otherList, email, stamp: tenSecondsAgo() }, visitor());
    const [pending] = await allRequests(client, otherList, { requestType: "subscription" });
    await moderateRequest(client, otherList, pending!.token, "discard");
    const stale = await entryOf(viewer, otherList);
    expect(stale.state).toBe("pending_confirmation");
    expect((await cancelConfirmation(viewer, stale.confirmation!.id)).message).toMatch(/gone/);
    expect((await recordsOf(email)).filter((r) => r.listId === otherList)).toEqual([]);
  });

  it("on a moderated list, confirming one's own address while signed in leaves the request on My lists as waiting for approval, cancellable, not filed twice", async () => {
    const listId = await confirmList();
    const { client } = await clientForTarget(target.id);
    await client.patchListConfig(listId, { subscription_policy: "confirm_then_moderate" });
    const email = `${unique("modconf")}@people.example.test`;
    await anonymousSubscribe({ targetId: target.id, listId, email, stamp: tenSecondsAgo() }, visitor());
    const token = tokenIn(await coreConfirmation(email));
    const viewer = await makeUser({ email, verified: true });
    expect((await entryOf(viewer, listId)).state).toBe("pending_confirmation");

    expect((await confirmSubscription({ targetId: target.id, list: listId, token }, viewer)).state).toBe("pending_approval");
    const entry = await entryOf(viewer, listId);
    expect(entry).toMatchObject({ state: "pending_approval", confirmation: null, pending: { kind: "subscribe", email } });
    const again = await withMailmanCallLog(() => subscribe(viewer, { targetId: target.id, listId, address: "primary" }));
    expect(again.result.state).toBe("pending_approval");
    expect(again.calls).toEqual([]);
    await cancelRequest(viewer, entry.pending!.id);
    expect(await allRequests(client, listId, { requestType: "subscription" })).toEqual([]);
    expect((await entryOf(viewer, listId)).state).toBe("not_subscribed");
  });
});
