import { AsyncLocalStorage } from "node:async_hooks";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/**
 * Raw SQL on the same connection(s) as `db`, in the shape pg-boss takes for its `db` option, so
 * the job queue shares this one client on both engines. Without values the text may hold several
 * statements (pg-boss migrates that way).
 */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

interface DbHandle {
  db: Db;
  sql: SqlExecutor;
  close: () => Promise<void>;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/**
 * A pg client that sends its promise-returning queries one at a time. Code that runs queries side
 * by side (`Promise.all`) on a transaction's one client, as the plan preview does through
 * `withDbScope`, would otherwise hand pg a query while another runs: pg still queues it, but
 * deprecates that (it goes in pg 9). Callback calls and submittables (cursors) keep pg's own path.
 */
async function oneQueryAtATimeClient() {
  const { Client } = await import("pg");
  return class OneQueryAtATimeClient extends Client {
    private previous: Promise<unknown> = Promise.resolve();
    // pg's overloads: the arguments are passed through unchanged.
    override query(...args: unknown[]): never {
      const [first] = args;
      const send = () => (super.query as (...a: unknown[]) => unknown)(...args);
      if (typeof (first as { submit?: unknown } | null)?.submit === "function" || typeof args[args.length - 1] === "function") return send() as never;
      const result = this.previous.then(send);
      this.previous = result.catch(() => undefined);
      return result as never;
    }
  };
}

async function openPostgres(url: string): Promise<DbHandle> {
  const { Pool } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const { migrate } = await import("drizzle-orm/node-postgres/migrator");
  const pool = new Pool({ connectionString: url, max: 10, Client: await oneQueryAtATimeClient() });
  // An idle connection that the server ends (a PostgreSQL restart, a failover, an idle timeout)
  // is reported here; without a listener Node would end the whole process. The pool drops that
  // connection and opens a new one for the next query.
  pool.on("error", (error) => {
    logger.warn({ err: { message: error.message } }, "database connection lost; the next query reconnects");
  });
  const db = drizzle(pool, { schema });
  // Several app and worker processes may start at once: one migrates, the others wait.
  const lockClient = await pool.connect();
  try {
    await lockClient.query("select pg_advisory_lock(hashtext('listkeeper:migrate'))");
    await migrate(db, { migrationsFolder });
  } finally {
    await lockClient.query("select pg_advisory_unlock(hashtext('listkeeper:migrate'))").catch(() => {});
    lockClient.release();
  }
  const sql: SqlExecutor = { executeSql: (text, values) => pool.query(text, values) };
  return { db: db as unknown as Db, sql, close: () => pool.end() };
}

async function openPglite(dir: string): Promise<DbHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const client = dir === "memory" ? new PGlite() : new PGlite(path.resolve(dir));
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  const sql: SqlExecutor = {
    async executeSql(text, values) {
      if (values && values.length > 0) return client.query(text, values);
      // The extended protocol behind query() takes one statement; exec() takes a script.
      const results = await client.exec(text);
      return results[results.length - 1] ?? { rows: [] };
    },
  };
  return { db: db as unknown as Db, sql, close: () => client.close() };
}

// Kept on globalThis so that Next's dev-mode module reloads reuse one connection.
const holder = globalThis as unknown as { __listkeeperDb?: Promise<DbHandle> };

/**
 * A transaction that stands in for the database within one async call chain (see `withDbScope`).
 * Kept on globalThis like the handle, so that every copy of this module sees the same scope.
 */
const scopeHolder = globalThis as unknown as { __listkeeperDbScope?: AsyncLocalStorage<Db> };
const dbScope = (scopeHolder.__listkeeperDbScope ??= new AsyncLocalStorage<Db>());

/**
 * Runs `fn` with `getDb()` answering `db` (a transaction) for everything it calls, however deep.
 * The registry's plan preview uses it to run the executor's own planning inside a transaction
 * that is rolled back afterwards (lib/registry/preview.ts), so no planning code needs a second,
 * transaction-aware path.
 */
export function withDbScope<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  return dbScope.run(db, fn);
}

/** The one database of this process, migrated on first use (or the transaction of `withDbScope`). */
export function getDb(): Promise<Db> {
  const scoped = dbScope.getStore();
  if (scoped) return Promise.resolve(scoped);
  holder.__listkeeperDb ??= env.DATABASE_URL ? openPostgres(env.DATABASE_URL) : openPglite(env.PGLITE_DIR);
  return holder.__listkeeperDb.then((h) => h.db);
}

export function getSqlExecutor(): Promise<SqlExecutor> {
  return getDb().then(() => holder.__listkeeperDb!).then((h) => h.sql);
}

export async function closeDb(): Promise<void> {
  const handle = holder.__listkeeperDb;
  holder.__listkeeperDb = undefined;
  if (handle) await (await handle).close();
}

export { schema };
