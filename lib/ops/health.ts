import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import journal from "@/db/migrations/meta/_journal.json";

/**
 * Liveness and readiness for load balancers and systemd (issue 12 part 4). Answers carry states
 * and counts only: no addresses, hosts, versions of dependencies or error text from the database.
 */

export type CheckState = "ok" | "failing";

export interface Readiness {
  status: "ready" | "not_ready";
  checks: {
    database: CheckState;
    migrations: { state: CheckState; applied: number | null; expected: number };
  };
}

/** How many migrations this build ships (drizzle's journal, read at build time). */
export function expectedMigrations(): number {
  return journal.entries.length;
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Ready when the database answers within `timeoutMs` and every shipped migration is applied. */
export async function checkReadiness(timeoutMs = 2_000): Promise<Readiness> {
  const expected = expectedMigrations();
  try {
    const applied = await withTimeout(
      (async () => {
        const db = await getDb();
        const result = await db.execute(sql`select count(*)::int as applied from drizzle.__drizzle_migrations`);
        const rows = (Array.isArray(result) ? result : (result as { rows: { applied: number }[] }).rows) as { applied: number }[];
        return Number(rows[0]?.applied ?? 0);
      })(),
      timeoutMs,
    );
    const migrationsOk = applied >= expected;
    return {
      status: migrationsOk ? "ready" : "not_ready",
      checks: { database: "ok", migrations: { state: migrationsOk ? "ok" : "failing", applied, expected } },
    };
  } catch {
    return { status: "not_ready", checks: { database: "failing", migrations: { state: "failing", applied: null, expected } } };
  }
}
