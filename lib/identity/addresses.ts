import { and, eq, isNotNull } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { coreUsers, userEmails } from "@/db/schema";
import { isUniqueViolation } from "@/db/unique-violation";
import { addressTakenByOther, CHECK_YOUR_MAIL, mailLimit, setDisplayName, verifyEmail, type RequestContext } from "@/lib/accounts/accounts";
import { alreadyRegisteredMail, verificationMail } from "@/lib/accounts/mails";
import { issueToken } from "@/lib/accounts/tokens";
import { emailSchema, loadViewer, type Viewer } from "@/lib/auth/users";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { sendMail } from "@/lib/mail/mailer";
import { deleteAddress, getAddress, userIdOfLink } from "@/lib/mailman/users";
import { clientForTarget } from "@/lib/targets/targets";
import { ensureCoreUser, type Person } from "./core-user";

/**
 * The addresses page (console.md §4.1): add (verification mail), re-send, make primary, remove.
 * Every change that concerns the core is applied to the core users the person already has; new
 * ones are made only when first needed (lib/identity/core-user.ts).
 */

export const addressInputSchema = z.object({ email: emailSchema });

export function personOf(viewer: Viewer): Person {
  return { accountId: viewer.id, displayName: viewer.displayName, verifiedEmails: viewer.verifiedEmails, primaryEmail: viewer.primaryEmail ?? viewer.verifiedEmails[0] ?? null };
}

function ownAddress(viewer: Viewer, email: string) {
  const found = viewer.emails.find((e) => e.email === email);
  if (!found) throw new NotFoundError(`${email} is not one of your addresses.`, { field: "email" });
  return found;
}

export async function addAddress(viewer: Viewer, email: string, context: RequestContext): Promise<{ message: string }> {
  if (viewer.emails.some((e) => e.email === email)) {
    throw new ConflictError(`${email} is already on your list of addresses.`, { field: "email" });
  }
  const limit = await mailLimit("address", email, context);
  // An address of another account gets a notice instead of a link; the answer here is the same.
  if (await addressTakenByOther(viewer.id, email)) {
    if (limit.sendMail) await sendMail(email, alreadyRegisteredMail(email));
    return { message: CHECK_YOUR_MAIL };
  }
  const db = await getDb();
  try {
    await db.insert(userEmails).values({ userId: viewer.id, email, verified: false, isPrimary: false });
  } catch (error) {
    if (isUniqueViolation(error)) return { message: CHECK_YOUR_MAIL };
    throw error;
  }
  if (limit.sendMail) await sendMail(email, verificationMail(email, await issueToken("verify_email", viewer.id, email), "address"));
  return { message: CHECK_YOUR_MAIL };
}

export async function resendVerification(viewer: Viewer, email: string, context: RequestContext): Promise<{ message: string }> {
  const address = ownAddress(viewer, email);
  if (address.verified) throw new ConflictError(`${email} is confirmed already.`);
  const limit = await mailLimit("address", email, context);
  if (limit.sendMail) await sendMail(email, verificationMail(email, await issueToken("verify_email", viewer.id, email), "address"));
  return { message: CHECK_YOUR_MAIL };
}

/** The core users this account already has, with a client for each server. */
async function knownCoreUsers(accountId: string) {
  const db = await getDb();
  return db
    .select({ targetId: coreUsers.targetId, userId: coreUsers.mailmanUserId })
    .from(coreUsers)
    .where(and(eq(coreUsers.accountId, accountId), isNotNull(coreUsers.mailmanUserId)));
}

/**
 * Brings every existing core user of the account in step (after a verification, a primary or
 * display-name change). A server that fails is logged and retried on the next change or
 * subscription; it never undoes the change in Listkeeper.
 */
export async function syncKnownCoreUsers(accountId: string): Promise<{ targetId: number; message: string }[]> {
  const viewer = await loadViewer(accountId);
  if (!viewer || viewer.verifiedEmails.length === 0) return [];
  const problems: { targetId: number; message: string }[] = [];
  for (const { targetId } of await knownCoreUsers(accountId)) {
    try {
      const { client } = await clientForTarget(targetId);
      const sync = await ensureCoreUser(client, targetId, personOf(viewer));
      problems.push(...sync.conflicts.map((c) => ({ targetId, message: c.message })));
    } catch (error) {
      logger.warn({ err: error, targetId, accountId }, "core user sync failed");
      problems.push({ targetId, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return problems;
}

export async function makePrimary(viewer: Viewer, email: string): Promise<void> {
  const address = ownAddress(viewer, email);
  if (!address.verified) throw new InvalidInputError(`Confirm ${email} first: only a confirmed address can be primary.`, { field: "email" });
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.update(userEmails).set({ isPrimary: false }).where(eq(userEmails.userId, viewer.id));
    await tx.update(userEmails).set({ isPrimary: true }).where(and(eq(userEmails.userId, viewer.id), eq(userEmails.email, email)));
  });
  await syncKnownCoreUsers(viewer.id);
}

/**
 * Removes an address from the account and, on every server where the person has a core user
 * holding it, from the core: subscriptions made with this very address end there. The primary
 * address cannot be removed: another one is made primary first, so the core's preferred address
 * has moved before the address goes (Q-4: never orphan `as_user` memberships).
 */
export async function removeAddress(viewer: Viewer, email: string): Promise<void> {
  const address = ownAddress(viewer, email);
  if (viewer.emails.length === 1) throw new InvalidInputError("This is your only address. To stop using Listkeeper, delete your account instead.");
  if (address.verified && viewer.primaryEmail === email) {
    throw new InvalidInputError(`${email} is your primary address. Make another confirmed address primary first.`, { field: "email" });
  }
  if (address.verified) {
    for (const { targetId, userId } of await knownCoreUsers(viewer.id)) {
      const { client } = await clientForTarget(targetId);
      const inCore = await getAddress(client, email);
      // Only the person's own core user's address is deleted; someone else's is not theirs to remove.
      if (inCore?.user && userIdOfLink(inCore.user) === userId) await deleteAddress(client, email);
    }
  }
  const db = await getDb();
  await db.delete(userEmails).where(and(eq(userEmails.userId, viewer.id), eq(userEmails.email, email)));
}

/** A verification link: marks the address verified, then links it in the person's core users. */
export async function confirmAddress(token: string): Promise<{ email: string } | null> {
  const verified = await verifyEmail(token);
  if (!verified) return null;
  await syncKnownCoreUsers(verified.userId);
  return { email: verified.email };
}

export async function changeDisplayName(viewer: Viewer, displayName: string): Promise<void> {
  await setDisplayName(viewer.id, displayName);
  await syncKnownCoreUsers(viewer.id);
}
