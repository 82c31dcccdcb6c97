import { beforeAll, describe, expect, it } from "vitest";
import { changePassword, CHECK_YOUR_MAIL, requestPasswordReset, resetPassword, signUp } from "@/lib/accounts/accounts";
import { passwordSignIn } from "@/lib/auth/sign-in";
import { findCredentialsByEmail, loadViewer, type Viewer } from "@/lib/auth/users";
import { env } from "@/lib/env";

import { getPreferredAddress, getUser, membershipsOfAddress, userAddresses } from "@/lib/mailman/users";
import { clientForTarget, type TargetSummary } from "@/lib/targets/targets";
import { waitForMail, type SentMessage } from "@/scripts/lib/local-core";
import { testCore } from "@/tests/support/core";
import { makeTarget, makeUser, unique } from "@/tests/support/factories";
import { addAddress, changeDisplayName, confirmAddress, makePrimary, personOf, removeAddress } from "./addresses";
import { ensureCoreUser } from "./core-user";
import { deleteAccount } from "./delete-account";

const context = { clientAddress: "198.51.100.7" };
const linkIn = (mail: SentMessage, path: string) => {
  const match = new RegExp(`https?://[^\\s]+${path}\\?token=([A-Za-z0-9_-]+)`).exec(mail.body);
  if (!match) throw new Error(`no ${path} link in: ${mail.body}`);
  return match[1]!;
};
const reload = async (id: string): Promise<Viewer> => (await loadViewer(id))!;

let target: TargetSummary;
beforeAll(async () => {
  (env as { SIGNUP: string }).SIGNUP = "open";
  target = await makeTarget(await makeUser({ superuser: true }));
});

describe("sign-up, verification and password reset by mail", () => {
  it("signs up with an unverified address, verifies it once from the mailed link, and answers an existing address the same way", async () => {
    const core = testCore();
    const email = `${unique("new")}@people.example.test`;
    expect(await signUp({ email, password: "a long enough password", displayName: "New Member" }, context)).toEqual({ message: CHECK_YOUR_MAIL });
    const account = (await findCredentialsByEmail(email))!;
    expect((await reload(account.id)).verifiedEmails).toEqual([]);
    const mail = await waitForMail(core.maildir, (m) => m.to.includes(email) && m.subject.includes("Confirm your Listkeeper account"), 15_000);
    expect(mail.raw).toMatch(/text\/html/i);
    const token = linkIn(mail, "/verify-email");
    expect(await confirmAddress(token)).toEqual({ email });
    expect(await confirmAddress(token)).toBeNull(); // single use
    const viewer = await reload(account.id);
    expect(viewer.verifiedEmails).toEqual([email]);
    expect(viewer.primaryEmail).toBe(email);

    // Signing up again with the address: the same words, a notice instead of a second account.
    expect(await signUp({ email, password: "another long password" }, context)).toEqual({ message: CHECK_YOUR_MAIL });
    await waitForMail(core.maildir, (m) => m.to.includes(email) && m.subject === "Your Listkeeper account", 15_000);
    expect(await passwordSignIn({ email, password: "another long password" }, context)).toBeNull();
    expect(await passwordSignIn({ email, password: "a long enough password" }, context)).toEqual({ id: account.id });
  });

  it("resets a password from the mailed link once, answers unknown addresses the same, and changes a password", async () => {
    const core = testCore();
    const user = await makeUser({ password: "the old password" });
    const email = user.emails[0]!.email;
    expect(await requestPasswordReset({ email: `${unique("nobody")}@people.example.test` }, context)).toEqual({ message: CHECK_YOUR_MAIL });
    expect(await requestPasswordReset({ email }, context)).toEqual({ message: CHECK_YOUR_MAIL });
    const mail = await waitForMail(core.maildir, (m) => m.to.includes(email) && m.subject.includes("new Listkeeper password"), 15_000);
    const token = linkIn(mail, "/reset-password");
    await resetPassword({ token, password: "the new password!" });
    await expect(resetPassword({ token, password: "yet another one!" })).rejects.toThrow(/does not work any more/);
    expect(await passwordSignIn({ email, password: "the new password!" }, context)).toEqual({ id: user.id });
    await expect(changePassword(user.id, { current: "wrong", password: "changed password" })).rejects.toThrow(/not your current password/);
    await changePassword(user.id, { current: "the new password!", password: "changed password" });
    expect(await passwordSignIn({ email, password: "changed password" }, context)).toEqual({ id: user.id });
  });

  it("refuses sign-up when SIGNUP is closed", async () => {
    (env as { SIGNUP: string }).SIGNUP = "closed";
    try {
      await expect(signUp({ email: `${unique("c")}@people.example.test`, password: "long enough password" }, context)).rejects.toThrow(/Sign-up is closed/);
    } finally {
      (env as { SIGNUP: string }).SIGNUP = "open";
    }
  });
});

describe("one core user per person per server", () => {
  it("absorbs the user a subscription made for a verified address, links added addresses, moves the preferred address and keeps as_user memberships", async () => {
    const core = testCore();
    const { client } = await clientForTarget(target.id);
    const viewer = await makeUser();
    const first = viewer.emails[0]!.email;
    const listId = (await client.createList({ fqdnListname: `${unique("l")}@${target.domain}` }));
    // A subscription made outside Listkeeper created a core user holding only this address.
    await client.subscribe({ listId, subscriber: first, preVerified: true, preConfirmed: true, preApproved: true });
    const before = (await getUser(client, first))!;

    const sync = await ensureCoreUser(client, target.id, personOf(viewer));
    expect(sync.conflicts).toEqual([]);
    expect(sync.userId).toBe(before.user_id);
    expect((await getPreferredAddress(client, sync.userId))?.email).toBe(first);
    await client.subscribe({ listId: (await client.createList({ fqdnListname: `${unique("u")}@${target.domain}` })), subscriber: sync.userId, preVerified: true, preConfirmed: true, preApproved: true });

    // A second address: unverified, it stays out of the core; verified, it is linked.
    const second = `${unique("second")}@people.example.test`;
    await addAddress(viewer, second, context);
    expect((await userAddresses(client, sync.userId)).map((a) => a.email)).toEqual([first]);
    const mail = await waitForMail(core.maildir, (m) => m.to.includes(second) && m.subject.includes("Confirm your address"), 15_000);
    await confirmAddress(linkIn(mail, "/verify-email"));
    expect((await userAddresses(client, sync.userId)).map((a) => a.email).sort()).toEqual([first, second].sort());

    // Primary moves, then the old primary can go; the as_user membership follows.
    await expect(removeAddress(await reload(viewer.id), first)).rejects.toThrow(/primary address/);
    await makePrimary(await reload(viewer.id), second);
    expect((await getPreferredAddress(client, sync.userId))?.email).toBe(second);
    await removeAddress(await reload(viewer.id), first);
    // A name change reaches the core user too.
    await changeDisplayName(await reload(viewer.id), "Renamed Person");
    expect((await getUser(client, sync.userId))?.display_name).toBe("Renamed Person");
    const memberships = await membershipsOfAddress(client, second);
    expect(memberships.some((m) => m.subscription_mode === "as_user")).toBe(true);
    expect(await client.getAddress(first)).toBeNull();
  });

  it("reports, and does not take, an address whose core user also holds someone else's address", async () => {
    const { client } = await clientForTarget(target.id);
    const viewer = await makeUser();
    const mine = viewer.emails[0]!.email;
    const stranger = `${unique("stranger")}@people.example.test`;
    const { createUser, linkAddress } = await import("@/lib/mailman/users");
    const otherId = await createUser(client, { email: stranger });
    await linkAddress(client, otherId, mine);
    await expect(ensureCoreUser(client, target.id, personOf(viewer))).rejects.toThrow(/belongs to another user/);
    expect((await userAddresses(client, otherId)).map((a) => a.email).sort()).toEqual([mine, stranger].sort());
  });

  it("deletes the account and, after the typed confirmation, the person's core user (ending its subscriptions)", async () => {
    const { client } = await clientForTarget(target.id);
    const viewer = await makeUser();
    const email = viewer.emails[0]!.email;
    const { userId } = await ensureCoreUser(client, target.id, personOf(viewer));
    const listId = await client.createList({ fqdnListname: `${unique("d")}@${target.domain}` });
    await client.subscribe({ listId, subscriber: userId, preVerified: true, preConfirmed: true, preApproved: true });
    await expect(deleteAccount(viewer, "wrong")).rejects.toThrow(/Type/);
    const report = await deleteAccount(viewer, email.toUpperCase());
    expect(report.deletedCoreUsers.map((d) => d.userId)).toContain(userId);
    expect(await getUser(client, userId)).toBeNull();
    expect(await client.rosterSize(listId, "member")).toBe(0);
    expect(await loadViewer(viewer.id)).toBeNull();
  });
});
