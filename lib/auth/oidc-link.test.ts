import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { claimsVerified, linkedUserId, openLinkIntent, resolveOidcSignIn, sealLinkIntent, type OidcProfile } from "./oidc-link";
import { createUser, loadViewer } from "./users";

let n = 0;
const unique = () => `${Date.now().toString(36)}${++n}`;
const email = () => `oidc-${unique()}@people.example.test`;
const profile = (over: Partial<OidcProfile>): OidcProfile => ({ provider: "oidc", subject: `sub-${unique()}`, emailVerified: true, ...over });

describe("resolveOidcSignIn", () => {
  // PGlite starts and migrates on first use: pay for it here, not inside the first test's timeout.
  beforeAll(() => getDb(), 120_000);

  it("never merges into an existing password account, a superuser's least of all, verified or not", async () => {
    const address = email();
    const { id } = await createUser({ email: address, password: "correct horse battery", superuser: true });
    for (const emailVerified of [true, false]) {
      const p = profile({ email: address.toUpperCase(), emailVerified });
      expect(await resolveOidcSignIn(p)).toEqual({ refused: emailVerified ? "oidc_link_required" : "oidc_unverified" });
      expect(await linkedUserId("oidc", p.subject)).toBeNull();
    }
    expect((await loadViewer(id))?.isSuperuser).toBe(true);
  });

  it("does not mark an address verified unless the provider says so (a missing claim is unverified)", async () => {
    const address = email();
    const { id } = await createUser({ email: address, password: "correct horse battery", verified: false });
    expect(await resolveOidcSignIn(profile({ email: address, emailVerified: claimsVerified(undefined) }))).toEqual({ refused: "oidc_unverified" });
    expect((await loadViewer(id))?.verifiedEmails).toEqual([]);
  });

  it("gives a new provider identity its own account, with the address only when it is verified", async () => {
    const verified = profile({ email: email(), name: "Vera" });
    const a = await resolveOidcSignIn(verified);
    expect(a).toMatchObject({ created: true });
    const viewerA = await loadViewer((a as { userId: string }).userId);
    expect(viewerA).toMatchObject({ displayName: "Vera", verifiedEmails: [verified.email] });

    const unverified = profile({ email: email(), emailVerified: false });
    const b = await resolveOidcSignIn(unverified);
    expect(b).toMatchObject({ created: true });
    expect((await loadViewer((b as { userId: string }).userId))?.emails).toEqual([]);

    // The subject signs in again to the same account, whatever the address says now.
    expect(await resolveOidcSignIn({ ...verified, email: email() })).toEqual({ userId: (a as { userId: string }).userId, created: false, linked: false });
  });

  it("links after the owner proved the account: a link intent from a password sign-in", async () => {
    const address = email();
    const { id } = await createUser({ email: address, password: "correct horse battery", verified: false });
    const p = profile({ email: address, emailVerified: true });
    expect(await resolveOidcSignIn(p, { linkToUserId: openLinkIntent(sealLinkIntent(id)) ?? undefined })).toEqual({ userId: id, created: false, linked: true });
    // The provider verified the address the account already had.
    expect((await loadViewer(id))?.verifiedEmails).toEqual([address]);
    expect(await resolveOidcSignIn(p)).toEqual({ userId: id, created: false, linked: false });
    // That identity cannot then be linked to somebody else.
    const other = await createUser({ email: email(), password: "correct horse battery" });
    expect(await resolveOidcSignIn(p, { linkToUserId: other.id })).toEqual({ refused: "oidc_identity_taken" });
  });

  it("joins an account prepared for single sign-on (no password, address verified by Listkeeper)", async () => {
    const address = email();
    const { id } = await createUser({ email: address });
    expect(await resolveOidcSignIn(profile({ email: address }))).toEqual({ userId: id, created: false, linked: true });
    // But not one whose address nobody verified.
    const unverifiedAddress = email();
    await createUser({ email: unverifiedAddress, verified: false });
    expect(await resolveOidcSignIn(profile({ email: unverifiedAddress }))).toEqual({ refused: "oidc_link_required" });
  });

  it("refuses disabled accounts", async () => {
    const p = profile({ email: email() });
    const created = (await resolveOidcSignIn(p)) as { userId: string };
    await (await getDb()).update(users).set({ disabled: true }).where(eq(users.id, created.userId));
    expect(await resolveOidcSignIn(p)).toEqual({ refused: "oidc_disabled" });
  });
});

describe("link intents", () => {
  it("open only unaltered and within ten minutes", () => {
    const sealed = sealLinkIntent("u-1", 1_000);
    expect(openLinkIntent(sealed, 2_000)).toBe("u-1");
    expect(openLinkIntent(sealed, 1_000 + 600_001)).toBeNull();
    expect(openLinkIntent(`${sealed.slice(0, -2)}AA`, 2_000)).toBeNull();
    expect(openLinkIntent(undefined)).toBeNull();
  });
});
