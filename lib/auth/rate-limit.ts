import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { loginAttempts } from "@/db/schema";
import { env } from "@/lib/env";

export interface RateLimitDecision {
  allowed: boolean;
  retryAfterSeconds: number;
}

/** Addresses behind one NAT share the per-network bucket, so it is wider than the per-account one. */
export function loginBuckets(email: string, ip: string) {
  return [
    { key: `email:${email}`, max: env.LOGIN_MAX_ATTEMPTS },
    { key: `ip:${ip}`, max: env.LOGIN_MAX_ATTEMPTS * 10 },
  ];
}

/**
 * Counts one sign-in attempt against each key (fixed window, in Postgres so that every app
 * process shares it) and says whether the attempt may proceed.
 */
export async function consumeLoginAttempt(
  buckets: { key: string; max: number }[],
  windowSeconds: number = env.LOGIN_WINDOW_SECONDS,
): Promise<RateLimitDecision> {
  const db = await getDb();
  let decision: RateLimitDecision = { allowed: true, retryAfterSeconds: 0 };
  for (const { key, max } of buckets) {
    const expired = sql`${loginAttempts.windowStart} < now() - make_interval(secs => ${windowSeconds}::int)`;
    const [row] = await db
      .insert(loginAttempts)
      .values({ key, count: 1 })
      .onConflictDoUpdate({
        target: loginAttempts.key,
        set: {
          count: sql`case when ${expired} then 1 else ${loginAttempts.count} + 1 end`,
          windowStart: sql`case when ${expired} then now() else ${loginAttempts.windowStart} end`,
        },
      })
      .returning({
        count: loginAttempts.count,
        retryAfter: sql<number>`greatest(0, ceil(extract(epoch from (${loginAttempts.windowStart} + make_interval(secs => ${windowSeconds}::int) - now()))))::int`,
      });
    if (row && row.count > max) {
      decision = { allowed: false, retryAfterSeconds: Math.max(decision.retryAfterSeconds, Number(row.retryAfter)) };
    }
  }
  return decision;
}

export async function resetLoginAttempts(key: string): Promise<void> {
  const db = await getDb();
  await db.delete(loginAttempts).where(sql`${loginAttempts.key} = ${key}`);
}
