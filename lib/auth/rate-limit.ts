import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { loginAttempts } from "@/db/schema";
import { env } from "@/lib/env";
import { networkKey } from "./client-address";

/**
 * Attempt counters in Postgres (fixed windows, shared by every app process), for sign-in and for
 * whatever else needs a limit per account or per network. A bucket either refuses attempts past
 * its maximum, or slows them down: each attempt past the maximum waits twice as long as the one
 * before, up to LOGIN_MAX_DELAY_SECONDS, and still goes ahead.
 */

export interface RateLimitBucket {
  key: string;
  max: number;
  /** "refuse" (the default): past `max`, attempts are refused until the window ends. "slow": delayed. */
  mode?: "refuse" | "slow";
}

export interface RateLimitDecision {
  allowed: boolean;
  retryAfterSeconds: number;
  /** How long to wait before going on with the attempt (slow buckets past their maximum). */
  delayMs?: number;
}

/**
 * Sign-in: per account a slow-down, never a lockout, because anyone can type someone else's
 * address and would otherwise lock its owner out; per network (an IPv4 address, an IPv6 /64) a
 * hard limit ten times wider, which stops one client guessing or spraying many accounts.
 * `ip` is the client address from `clientAddress` (lib/auth/client-address.ts).
 */
export function loginBuckets(email: string, ip: string): RateLimitBucket[] {
  return [
    { key: `email:${email}`, max: env.LOGIN_MAX_ATTEMPTS, mode: "slow" },
    { key: `ip:${networkKey(ip)}`, max: env.LOGIN_MAX_ATTEMPTS * 10 },
  ];
}

/** The wait before attempt number `count` of a slow bucket with maximum `max`. */
export function slowDownMs(count: number, max: number, maxDelaySeconds: number = env.LOGIN_MAX_DELAY_SECONDS): number {
  const over = count - max;
  if (over <= 0) return 0;
  return Math.min(1000 * 2 ** Math.min(over - 1, 30), maxDelaySeconds * 1000);
}

/**
 * Counts one attempt against each bucket and says whether it may proceed, and after how long.
 */
export async function consumeLoginAttempt(buckets: RateLimitBucket[], windowSeconds: number = env.LOGIN_WINDOW_SECONDS): Promise<RateLimitDecision> {
  const db = await getDb();
  let decision: RateLimitDecision = { allowed: true, retryAfterSeconds: 0, delayMs: 0 };
  for (const { key, max, mode = "refuse" } of buckets) {
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
    if (!row || row.count <= max) continue;
    if (mode === "slow") {
      decision = { ...decision, delayMs: Math.max(decision.delayMs ?? 0, slowDownMs(row.count, max)) };
    } else {
      decision = { ...decision, allowed: false, retryAfterSeconds: Math.max(decision.retryAfterSeconds, Number(row.retryAfter)) };
    }
  }
  return decision;
}

export async function resetLoginAttempts(key: string): Promise<void> {
  const db = await getDb();
  await db.delete(loginAttempts).where(sql`${loginAttempts.key} = ${key}`);
}
