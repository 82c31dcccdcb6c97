import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { userEmails, users } from "@/db/schema";
import { isUniqueViolation } from "@/db/unique-violation";
import { networkKey } from "@/lib/auth/client-address";
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "@/lib/auth/password";
import { consumeLoginAttempt, resetLoginAttempts } from "@/lib/auth/rate-limit";
import { emailSchema, findCredentialsByEmail } from "@/lib/auth/users";
import { env } from "@/lib/env";
import { ForbiddenError, InvalidInputError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { sendMail } from "@/lib/mail/mailer";
import { alreadyRegisteredMail, passwordResetMail, verificationMail } from "./mails";
import { consumeToken, issueToken } from "./tokens";

/**
 * Member accounts (console.md §4.1): sign-up, address verification, password reset and change.
 * What a visitor sees never depends on whether an address has an account: the same answer, the
 * same kind of work (one argon2id hash, one mail), and the mail itself tells the owner what
 * happened.
 */

export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Passwords have at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(1024, "Passwords have at most 1,024 characters.");

export const signUpSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  displayName: z.string().trim().max(200).default(""),
});

export const CHECK_YOUR_MAIL = "Check your mail: we sent a link to that address. It works once and expires.";

export interface RequestContext {
  clientAddress: string;
}

/** Per address a few mails per window (no mail-bombing anyone), per network a wider hard limit. */
export async function mailLimit(kind: string, email: string, context: RequestContext): Promise<{ sendMail: boolean }> {
  const network = await consumeLoginAttempt([{ key: `${kind}:ip:${networkKey(context.clientAddress)}`, max: env.LOGIN_MAX_ATTEMPTS * 2 }]);
  if (!network.allowed) {
    throw new InvalidInputError(`Too many requests from your network. Wait ${Math.ceil(network.retryAfterSeconds / 60)} minutes and try again.`);
  }
  // Past the per-address limit the answer stays the same (it must not tell anything), only no mail goes out.
  const address = await consumeLoginAttempt([{ key: `${kind}:email:${email}`, max: 3 }]);
  if (!address.allowed) logger.warn({ kind, email, client: context.clientAddress }, "mail rate limited for address");
  return { sendMail: address.allowed };
}

export async function signUp(raw: z.input<typeof signUpSchema>, context: RequestContext): Promise<{ message: string }> {
  if (env.SIGNUP !== "open") throw new ForbiddenError("Sign-up is closed on this site. Ask a Listkeeper administrator for an account.");
  const input = signUpSchema.parse(raw);
  const limit = await mailLimit("signup", input.email, context);
  // Hashed whether or not the account exists, so that both answers take as long.
  const passwordHash = await hashPassword(input.password);
  const existing = await findCredentialsByEmail(input.email);
  if (existing) {
    if (limit.sendMail) await sendMail(input.email, alreadyRegisteredMail(input.email));
    return { message: CHECK_YOUR_MAIL };
  }
  const db = await getDb();
  let userId: string;
  try {
    userId = await db.transaction(async (tx) => {
      const [user] = await tx.insert(users).values({ displayName: input.displayName, passwordHash }).returning({ id: users.id });
      if (!user) throw new Error("insert returned no row");
      await tx.insert(userEmails).values({ userId: user.id, email: input.email, verified: false, isPrimary: true });
      return user.id;
    });
  } catch (error) {
    // Two sign-ups for one address at once: the second is told the same as everyone.
    if (isUniqueViolation(error)) return { message: CHECK_YOUR_MAIL };
    throw error;
  }
  if (limit.sendMail) await sendMail(input.email, verificationMail(input.email, await issueToken("verify_email", userId, input.email), "signup"));
  return { message: CHECK_YOUR_MAIL };
}

/**
 * Marks the mailed address verified. Returns the account and address, or null for a link that
 * is unknown, spent, expired, or whose address was removed meanwhile.
 */
export async function verifyEmail(token: string): Promise<{ userId: string; email: string } | null> {
  const spent = await consumeToken("verify_email", token);
  if (!spent) return null;
  const db = await getDb();
  const [row] = await db
    .update(userEmails)
    .set({ verified: true, verifiedAt: new Date() })
    .where(and(eq(userEmails.userId, spent.userId), eq(userEmails.email, spent.email)))
    .returning({ id: userEmails.id });
  return row ? spent : null;
}

export const resetRequestSchema = z.object({ email: emailSchema });

export async function requestPasswordReset(raw: z.input<typeof resetRequestSchema>, context: RequestContext): Promise<{ message: string }> {
  const { email } = resetRequestSchema.parse(raw);
  const limit = await mailLimit("reset", email, context);
  const account = await findCredentialsByEmail(email);
  if (account && !account.disabled && limit.sendMail) {
    await sendMail(email, passwordResetMail(await issueToken("reset_password", account.id, email)));
  }
  return { message: CHECK_YOUR_MAIL };
}

export const resetPasswordSchema = z.object({ token: z.string().min(1).max(200), password: passwordSchema });

/**
 * Sets the new password. The link reached the address's mailbox, so the address is also proven
 * to be theirs and is marked verified.
 */
export async function resetPassword(raw: z.input<typeof resetPasswordSchema>): Promise<{ email: string }> {
  const input = resetPasswordSchema.parse(raw);
  const spent = await consumeToken("reset_password", input.token);
  if (!spent) throw new InvalidInputError("This link does not work any more: it was used, it expired, or it was replaced by a newer one. Ask for a new one.");
  const db = await getDb();
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, spent.userId));
    await tx
      .update(userEmails)
      .set({ verified: true, verifiedAt: new Date() })
      .where(and(eq(userEmails.userId, spent.userId), eq(userEmails.email, spent.email), eq(userEmails.verified, false)));
  });
  await resetLoginAttempts(`email:${spent.email}`);
  return { email: spent.email };
}

export const changePasswordSchema = z.object({ current: z.string().min(1, "Enter your current password.").max(1024), password: passwordSchema });

export async function changePassword(userId: string, raw: z.input<typeof changePasswordSchema>): Promise<void> {
  const input = changePasswordSchema.parse(raw);
  const db = await getDb();
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!row || !(await verifyPassword(row.passwordHash, input.current))) {
    throw new InvalidInputError("That is not your current password.", { field: "current" });
  }
  await db.update(users).set({ passwordHash: await hashPassword(input.password), updatedAt: new Date() }).where(eq(users.id, userId));
}

export const displayNameSchema = z.object({ displayName: z.string().trim().max(200) });

export async function setDisplayName(userId: string, displayName: string): Promise<void> {
  const db = await getDb();
  await db.update(users).set({ displayName, updatedAt: new Date() }).where(eq(users.id, userId));
}

/** Whether another account holds `email` (any state). */
export async function addressTakenByOther(userId: string, email: string): Promise<boolean> {
  const db = await getDb();
  const rows = await db.select({ id: userEmails.id }).from(userEmails).where(and(eq(userEmails.email, email), ne(userEmails.userId, userId)));
  return rows.length > 0;
}
