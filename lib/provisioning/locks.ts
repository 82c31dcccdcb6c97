import pLimit from "p-limit";
import { env } from "@/lib/env";

/**
 * Advisory locks per (target, person) and (target, list) (provisioning.md §8.7). Within one
 * process a promise chain per key orders the holders; across processes (PostgreSQL only: PGlite
 * admits one process) `pg_try_advisory_lock` on one dedicated connection, polled so that a busy
 * key never blocks the connection for the others. The connection's queries go one at a time
 * (`oneAtATime`): a pg client handed a query while another runs only queues it, which pg
 * deprecates.
 */

export type LockKind = "person" | "list";
const KIND_CODE: Record<LockKind, number> = { person: 1, list: 2 };

const chains = new Map<string, Promise<void>>();
const oneAtATime = pLimit(1);
let lockClient: Promise<{ query: (text: string, values: unknown[]) => Promise<{ rows: { ok: boolean }[] }> }> | null = null;

async function client() {
  lockClient ??= (async () => {
    const { Client } = await import("pg");
    const c = new Client({ connectionString: env.DATABASE_URL });
    await c.connect();
    // The connection ends with the process; its locks go with it (a killed worker frees them).
    c.on("error", () => (lockClient = null));
    return c as unknown as { query: (text: string, values: unknown[]) => Promise<{ rows: { ok: boolean }[] }> };
  })();
  return lockClient;
}

export async function withLock<T>(kind: LockKind, targetId: number, subjectId: number, fn: () => Promise<T>): Promise<T> {
  const key = `${kind}:${targetId}:${subjectId}`;
  const before = chains.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const chained = before.then(() => mine);
  chains.set(key, chained);
  await before;
  const k1 = targetId * 8 + KIND_CODE[kind];
  try {
    if (env.DATABASE_URL) {
      const c = await client();
      for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
        const { rows } = await oneAtATime(() => c.query("select pg_try_advisory_lock($1, $2) as ok", [k1, subjectId]));
        if (rows[0]?.ok) break;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
    try {
      return await fn();
    } finally {
      if (env.DATABASE_URL) {
        const c = await client();
        await oneAtATime(() => c.query("select pg_advisory_unlock($1, $2) as ok", [k1, subjectId])).catch(() => {});
      }
    }
  } finally {
    release();
    if (chains.get(key) === chained) chains.delete(key);
  }
}
