import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, lt, or, isNotNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { mailTokens } from "@/db/schema";
import { env } from "@/lib/env";

export type TokenPurpose = "verify_email" | "reset_password";

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A new single-use token for `email` of account `userId`; only its hash is stored. */
export async function issueToken(purpose: TokenPurpose, userId: string, email: string, ttlMinutes = env.MAIL_TOKEN_TTL_MINUTES): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const db = await getDb();
  // Spent and expired tokens are of no use to anyone: drop them while we are here.
  await db.delete(mailTokens).where(and(eq(mailTokens.userId, userId), or(isNotNull(mailTokens.usedAt), lt(mailTokens.expiresAt, new Date()))));
  await db.insert(mailTokens).values({ purpose, tokenHash: hashToken(token), userId, email: email.toLowerCase(), expiresAt: new Date(Date.now() + ttlMinutes * 60_000) });
  return token;
}

/**
 * Spends a token: one statement marks it used only if it is unused, unexpired and of this
 * purpose, so two clicks on one link (or two racing requests) succeed once.
 */
export async function consumeToken(purpose: TokenPurpose, token: string): Promise<{ userId: string; email: string } | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const db = await getDb();
  const [row] = await db
    .update(mailTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(mailTokens.tokenHash, hashToken(token)), eq(mailTokens.purpose, purpose), isNull(mailTokens.usedAt), gt(mailTokens.expiresAt, new Date())))
    .returning({ userId: mailTokens.userId, email: mailTokens.email });
  return row ?? null;
}

/** Whether a token would still work, without spending it (the page that asks "confirm?"). */
export async function peekToken(purpose: TokenPurpose, token: string): Promise<{ email: string } | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const db = await getDb();
  const [row] = await db
    .select({ email: mailTokens.email })
    .from(mailTokens)
    .where(and(eq(mailTokens.tokenHash, hashToken(token)), eq(mailTokens.purpose, purpose), isNull(mailTokens.usedAt), gt(mailTokens.expiresAt, new Date())));
  return row ?? null;
}
