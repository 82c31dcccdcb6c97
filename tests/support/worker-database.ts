/**
 * Vitest setup file of the integration project: with PostgreSQL, each Vitest worker gets a
 * database of its own (`<base>_<run>_w<pool id>`, created on first use and migrated by
 * db/client.ts), so test files that run at the same time never see each other's jobs, people or
 * servers. tests/support/global-setup.ts records the base URL and drops these databases at the
 * end. With PGlite (`PGLITE_DIR=memory`) every worker process has its own database already.
 */
import pg from "pg";

const base = process.env.LK_TEST_BASE_DATABASE_URL;
const run = process.env.LK_TEST_RUN_TAG;
const pool = process.env.VITEST_POOL_ID ?? "1";

if (base && run) {
  const url = new URL(base);
  const name = `${url.pathname.slice(1) || "postgres"}_${run}_w${pool}`.replace(/[^a-z0-9_]/gi, "_").slice(0, 63);
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } catch (error) {
    // 42P04: created by an earlier test file of this worker.
    if ((error as { code?: string }).code !== "42P04") throw error;
  } finally {
    await admin.end();
  }
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
}
