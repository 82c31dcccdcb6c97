import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { userEmails } from "@/db/schema";
import { loadViewer, type Viewer } from "@/lib/auth/users";
import { personOf } from "@/lib/identity/addresses";
import { ensureCoreUser } from "@/lib/identity/core-user";
import { MailmanError } from "@/lib/mailman";
import { withMailmanCallLog } from "@/lib/mailman/instrumentation";
import { getEffectivePreferences, getMemberPreferences } from "@/lib/mailman/members";
import { putLevelPreferences } from "@/lib/mailman/users";
import { clientForTarget, type TargetSummary } from "@/lib/targets/targets";
import { makeTarget, makeUser, unique } from "@/tests/support/factories";
import { loadMyLists } from "./my-lists";
import { loadSubscription, savePreference, switchAddress } from "./subscription-details";
import { subscribe } from "./subscriptions";

let target: TargetSummary;
beforeAll(async () => {
  target = await makeTarget(await makeUser({ superuser: true }));
});

async function memberWithTwoAddresses() {
  const base = await makeUser();
  const alt = `${unique("alt")}@people.example.test`;
  await (await getDb()).insert(userEmails).values({ userId: base.id, email: alt, verified: true, verifiedAt: new Date() });
  const viewer = (await loadViewer(base.id)) as Viewer;
  const { client } = await clientForTarget(target.id);
  await ensureCoreUser(client, target.id, personOf(viewer));
  const listId = await client.createList({ fqdnListname: `${unique("p")}@${target.domain}` });
  return { viewer, alt, client, listId };
}

const memberOf = async (viewer: Viewer, listId: string) => (await loadMyLists(viewer)).entries.find((e) => e.listId === listId)!.subscriptions;

describe("preferences at three levels", () => {
  it("PUT on a level does not clear absent keys: it refuses them (pinned before relying on it)", async () => {
    const { viewer, client } = await memberWithTwoAddresses();
    const error = await putLevelPreferences(client, { kind: "address", email: viewer.primaryEmail! }, { delivery_mode: "regular" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailmanError);
    expect((error as MailmanError).status).toBe(400);
    expect((error as MailmanError).description).toMatch(/Missing Parameter/);
  });

  it("sets digest on the subscription, shows the effective value and its source, and resets it to inherit (false values kept)", async () => {
    const { viewer, client, listId } = await memberWithTwoAddresses();
    await subscribe(viewer, { targetId: target.id, listId, address: "primary" });
    const memberId = (await memberOf(viewer, listId))[0]!.memberId;

    const view = await withMailmanCallLog(() => loadSubscription(viewer, target.id, memberId));
    expect(view.calls.every((c) => c.method === "GET")).toBe(true);
    expect(view.result.rows.find((r) => r.key === "delivery_mode")).toMatchObject({ effective: "regular", source: "system" });

    await savePreference(viewer, { targetId: target.id, memberId, level: "account", key: "acknowledge_posts", value: "true" });
    await savePreference(viewer, { targetId: target.id, memberId, level: "address", key: "receive_own_postings", value: "false" });
    await savePreference(viewer, { targetId: target.id, memberId, level: "subscription", key: "delivery_mode", value: "mime_digests" });
    await savePreference(viewer, { targetId: target.id, memberId, level: "subscription", key: "receive_list_copy", value: "false" });
    let effective = await getEffectivePreferences(client, memberId);
    expect(effective).toMatchObject({ delivery_mode: "mime_digests", acknowledge_posts: true, receive_own_postings: false, receive_list_copy: false });
    const rows = (await loadSubscription(viewer, target.id, memberId)).rows;
    expect(rows.find((r) => r.key === "acknowledge_posts")).toMatchObject({ effective: true, source: "account" });
    expect(rows.find((r) => r.key === "receive_own_postings")).toMatchObject({ effective: false, source: "address" });
    expect(rows.find((r) => r.key === "delivery_mode")).toMatchObject({ effective: "mime_digests", source: "subscription" });

    await savePreference(viewer, { targetId: target.id, memberId, level: "subscription", key: "delivery_mode", value: "inherit" });
    effective = await getEffectivePreferences(client, memberId);
    expect(effective.delivery_mode).toBe("regular");
    // Only that key went back to inherit; the false one on the same level stayed.
    expect(await getMemberPreferences(client, memberId)).toEqual({ receive_list_copy: false });
  });
});

describe("switching the subscribed address", () => {
  it("moves between addresses in place, and to and from 'primary address' with every preference copied", async () => {
    const { viewer, alt, client, listId } = await memberWithTwoAddresses();
    await subscribe(viewer, { targetId: target.id, listId, address: viewer.primaryEmail! });
    const first = (await memberOf(viewer, listId))[0]!.memberId;
    await savePreference(viewer, { targetId: target.id, memberId: first, level: "subscription", key: "receive_own_postings", value: "false" });
    await savePreference(viewer, { targetId: target.id, memberId: first, level: "subscription", key: "delivery_mode", value: "plaintext_digests" });

    // address → address: same membership
    expect((await switchAddress(viewer, { targetId: target.id, memberId: first, to: alt })).memberId).toBe(first);
    expect(await memberOf(viewer, listId)).toEqual([expect.objectContaining({ memberId: first, email: alt, via: "address" })]);

    // address → primary: resubscribed, preferences copied including false
    const { memberId: second } = await switchAddress(viewer, { targetId: target.id, memberId: first, to: "primary" });
    expect(second).not.toBe(first);
    expect(await memberOf(viewer, listId)).toEqual([expect.objectContaining({ memberId: second, via: "primary" })]);
    expect(await getMemberPreferences(client, second)).toEqual({ receive_own_postings: false, delivery_mode: "plaintext_digests" });
    expect(await client.rosterSize(listId, "member")).toBe(1);
  });
});

describe("one person cannot reach another's subscription", () => {
  it("refuses to show, change or move a membership of someone else's address", async () => {
    const { viewer, listId } = await memberWithTwoAddresses();
    await subscribe(viewer, { targetId: target.id, listId, address: "primary" });
    const memberId = (await memberOf(viewer, listId))[0]!.memberId;
    const other = await makeUser();
    await expect(loadSubscription(other, target.id, memberId)).rejects.toThrow(/not one of yours/);
    await expect(savePreference(other, { targetId: target.id, memberId, level: "subscription", key: "delivery_mode", value: "mime_digests" })).rejects.toThrow(/not one of yours/);
    await expect(switchAddress(other, { targetId: target.id, memberId, to: "primary" })).rejects.toThrow(/not one of yours/);
    const { client } = await clientForTarget(target.id);
    expect(await getMemberPreferences(client, memberId)).toEqual({});
  });
});
