import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

/**
 * A database of this test file's own, for files that start worker processes: a worker takes
 * every job it finds, so one left queued by an earlier file of the same Vitest worker would keep
 * `--until-idle` from ending. PGlite: a fresh directory (it admits one process at a time, so the
 * file closes its handle while a worker runs). PostgreSQL: a fresh database beside the worker's.
 * Call before anything imports lib/env; the returned function removes it.
 */
export async function ownDatabase(prefix: string): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dir = mkdtempSync(path.join(tmpdir(), `lk-${prefix}-`));
    process.env.PGLITE_DIR = dir;
    return async () => rmSync(dir, { recursive: true, force: true });
  }
  const base = new URL(url);
  const name = `${base.pathname.slice(1)}_${prefix}_${process.pid}`.replace(/[^a-z0-9_]/gi, "_").slice(0, 63);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.query(`create database "${name}"`);
  await admin.end();
  base.pathname = `/${name}`;
  process.env.DATABASE_URL = base.toString();
  return async () => {
    const cleanup = new pg.Client({ connectionString: url });
    await cleanup.connect();
    await cleanup.query(`drop database if exists "${name}" with (force)`).catch(() => {});
    await cleanup.end();
  };
}
