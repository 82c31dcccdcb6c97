import { z } from "zod";
import { logger } from "@/lib/logger";
import { timingEqualiserHash, verifyPassword } from "./password";
import { consumeLoginAttempt, loginBuckets, resetLoginAttempts } from "./rate-limit";
import { findCredentialsByEmail } from "./users";

export class SignInRateLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("sign-in rate limited");
  }
}

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().min(3).max(320),
  password: z.string().min(1).max(1024),
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The Credentials provider's check: the account id, or null for wrong credentials. Throws
 * `SignInRateLimited` when the client's network has made too many attempts; attempts on one
 * account past its limit are slowed down (`wait`), not refused.
 */
export async function passwordSignIn(
  raw: unknown,
  context: { clientAddress: string; wait?: (ms: number) => Promise<void> },
): Promise<{ id: string } | null> {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const limit = await consumeLoginAttempt(loginBuckets(email, context.clientAddress));
  if (!limit.allowed) {
    logger.warn({ email, client: context.clientAddress, retryAfter: limit.retryAfterSeconds }, "sign-in rate limited");
    throw new SignInRateLimited(limit.retryAfterSeconds);
  }
  if (limit.delayMs) {
    logger.info({ email, delayMs: limit.delayMs }, "sign-in slowed down");
    await (context.wait ?? sleep)(limit.delayMs);
  }
  const account = await findCredentialsByEmail(email);
  // One verification whatever the account: unknown, OIDC-only and disabled accounts cost the same
  // argon2id work as a real check, so timing does not tell them apart.
  const matches = await verifyPassword(account?.passwordHash ?? (await timingEqualiserHash()), password);
  if (!account || !account.passwordHash || account.disabled || !matches) return null;
  await resetLoginAttempts(`email:${email}`);
  return { id: account.id };
}
