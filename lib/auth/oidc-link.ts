import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { userEmails, userIdentities, users } from "@/db/schema";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secret-box";
import { emailSchema } from "./users";

/**
 * Who a person coming back from the OIDC provider is (next-auth's signIn callback calls
 * `resolveOidcSignIn`). The provider's word on an address counts only when it says the address
 * is verified (`email_verified: true`; a provider that sends nothing has verified nothing), and
 * even then it never opens an account that has a password: its owner proves it is theirs by
 * signing in with the password and linking the provider from their account page (a link intent,
 * below), or the provider identity gets an account of its own.
 */

export interface OidcProfile {
  provider: string;
  subject: string;
  email?: string | null;
  emailVerified: boolean;
  name?: string | null;
}

export type OidcRefusal =
  /** The verified address belongs to an account with a password (or another identity): sign in and link. */
  | "oidc_link_required"
  /** The address belongs to an account, and the provider does not say it is verified. */
  | "oidc_unverified"
  /** A link intent for an account, but this provider identity belongs to another account. */
  | "oidc_identity_taken"
  | "oidc_disabled";

export type OidcDecision = { userId: string; created: boolean; linked: boolean } | { refused: OidcRefusal };

/** `email_verified` as providers send it: a boolean, or the string "true" (some send strings). */
export function claimsVerified(value: unknown): boolean {
  return value === true || value === "true";
}

type Tx = Parameters<Parameters<Awaited<ReturnType<typeof getDb>>["transaction"]>[0]>[0];

/**
 * Adds the provider's address to `userId` when the provider verified it: marks it verified if the
 * account has it unverified, adds it if no account has it, leaves it alone if another account has it.
 */
async function takeVerifiedAddress(tx: Tx, userId: string, email: string | null): Promise<void> {
  if (!email) return;
  const [row] = await tx.select().from(userEmails).where(eq(userEmails.email, email));
  if (!row) {
    await tx.insert(userEmails).values({ userId, email, verified: true, verifiedAt: new Date() });
  } else if (row.userId === userId && !row.verified) {
    await tx.update(userEmails).set({ verified: true, verifiedAt: new Date() }).where(eq(userEmails.id, row.id));
  }
}

function normalisedEmail(email: string | null | undefined): string | null {
  const parsed = emailSchema.safeParse(email ?? "");
  return parsed.success ? parsed.data : null;
}

/**
 * Decides and records the sign-in. `linkToUserId` comes from a valid link intent: the signed-in
 * owner of that account asked to link this provider.
 */
export async function resolveOidcSignIn(profile: OidcProfile, options: { linkToUserId?: string } = {}): Promise<OidcDecision> {
  const email = normalisedEmail(profile.email);
  const verifiedEmail = profile.emailVerified ? email : null;
  const db = await getDb();
  return db.transaction(async (tx): Promise<OidcDecision> => {
    const [identity] = await tx
      .select({ userId: userIdentities.userId })
      .from(userIdentities)
      .where(and(eq(userIdentities.provider, profile.provider), eq(userIdentities.subject, profile.subject)));

    if (options.linkToUserId) {
      if (identity && identity.userId !== options.linkToUserId) return { refused: "oidc_identity_taken" };
      const [owner] = await tx.select({ disabled: users.disabled }).from(users).where(eq(users.id, options.linkToUserId));
      if (!owner || owner.disabled) return { refused: "oidc_disabled" };
      if (!identity) await tx.insert(userIdentities).values({ userId: options.linkToUserId, provider: profile.provider, subject: profile.subject });
      await takeVerifiedAddress(tx, options.linkToUserId, verifiedEmail);
      return { userId: options.linkToUserId, created: false, linked: !identity };
    }

    if (identity) {
      const [owner] = await tx.select({ disabled: users.disabled }).from(users).where(eq(users.id, identity.userId));
      if (!owner || owner.disabled) return { refused: "oidc_disabled" };
      await takeVerifiedAddress(tx, identity.userId, verifiedEmail);
      return { userId: identity.userId, created: false, linked: false };
    }

    const [holder] = email
      ? await tx
          .select({ userId: userEmails.userId, verified: userEmails.verified, passwordHash: users.passwordHash, disabled: users.disabled })
          .from(userEmails)
          .innerJoin(users, eq(users.id, userEmails.userId))
          .where(eq(userEmails.email, email))
      : [];
    if (holder) {
      if (!verifiedEmail) return { refused: "oidc_unverified" };
      if (holder.disabled) return { refused: "oidc_disabled" };
      const [otherIdentity] = await tx
        .select({ id: userIdentities.id })
        .from(userIdentities)
        .where(and(eq(userIdentities.userId, holder.userId), eq(userIdentities.provider, profile.provider)));
      // Only an account nobody can sign in to otherwise (no password, no identity at this
      // provider), whose address Listkeeper already knows to be verified, is joined directly:
      // that is how a superuser prepares an account for single sign-on.
      if (holder.passwordHash || otherIdentity || !holder.verified) return { refused: "oidc_link_required" };
      await tx.insert(userIdentities).values({ userId: holder.userId, provider: profile.provider, subject: profile.subject });
      return { userId: holder.userId, created: false, linked: true };
    }

    // A new account. Its address is recorded only when the provider verified it: an unverified
    // one would grant list roles to whoever typed it, or keep its real owner from signing up.
    const [user] = await tx
      .insert(users)
      .values({ displayName: (profile.name ?? "").trim().slice(0, 200) })
      .returning({ id: users.id });
    if (!user) throw new Error("insert returned no row");
    await tx.insert(userIdentities).values({ userId: user.id, provider: profile.provider, subject: profile.subject });
    await takeVerifiedAddress(tx, user.id, verifiedEmail);
    return { userId: user.id, created: true, linked: true };
  });
}

/** The account a provider subject is linked to (read by the jwt callback after signIn). */
export async function linkedUserId(provider: string, subject: string): Promise<string | null> {
  const db = await getDb();
  const [row] = await db
    .select({ userId: userIdentities.userId })
    .from(userIdentities)
    .where(and(eq(userIdentities.provider, provider), eq(userIdentities.subject, subject)));
  return row?.userId ?? null;
}

export async function identitiesOf(userId: string): Promise<{ provider: string; createdAt: Date }[]> {
  const db = await getDb();
  return db.select({ provider: userIdentities.provider, createdAt: userIdentities.createdAt }).from(userIdentities).where(eq(userIdentities.userId, userId));
}

/**
 * A link intent: which signed-in account asked to link the provider, encrypted and authenticated
 * with the server's key, valid for ten minutes, carried in an HttpOnly cookie across the round
 * trip to the provider.
 */
export const LINK_INTENT_COOKIE = "lk-oidc-link";
export const LINK_INTENT_SECONDS = 600;
const INTENT_AAD = "oidc-link-intent";

export function sealLinkIntent(userId: string, now: number = Date.now()): string {
  return encryptSecret(JSON.stringify({ userId, expires: now + LINK_INTENT_SECONDS * 1000 }), INTENT_AAD);
}

export function openLinkIntent(sealed: string | undefined, now: number = Date.now()): string | null {
  if (!sealed) return null;
  try {
    const { userId, expires } = JSON.parse(decryptSecret(sealed, INTENT_AAD)) as { userId?: unknown; expires?: unknown };
    return typeof userId === "string" && typeof expires === "number" && expires > now ? userId : null;
  } catch {
    return null;
  }
}
