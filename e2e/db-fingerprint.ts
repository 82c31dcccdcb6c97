import pg from "pg";

/**
 * A cheap fingerprint of Listkeeper's tables for "a refused call changed nothing": per table its
 * row count and, where it has one, its latest `updated_at`. It reads the production server's
 * PostgreSQL database (DATABASE_URL, as CI runs the browser tests); with PGlite the server holds
 * the only connection, so there is no fingerprint (null) and only the answers are checked.
 *
 * Left out: what the worker writes on its own schedule whatever the browser does (heartbeats,
 * the list index snapshots and their refreshes, the validity sweeps and the nightly repair, which
 * are provisioning jobs of their own kind, and what running a job writes: its items, events and
 * progress) and the sign-in attempts that a refused sign-in records on purpose (its rate limit).
 * Jobs are counted, so a refused call that queued one still shows.
 */
const BACKGROUND = new Set(["job_workers", "list_snapshots", "list_snapshot_refreshes", "provisioning_sweeps", "login_attempts", "provisioning_events", "provisioning_job_items"]);
const BACKGROUND_ROWS: Record<string, string> = { provisioning_jobs: "not (action = 'sweep' or (action = 'repair' and requested_by is null))" };
const COUNT_ONLY = new Set(["provisioning_jobs", "bulk_jobs", "bulk_job_items", "remove_everywhere_jobs", "remove_everywhere_items"]);

let pool: pg.Pool | null = null;
let query: string | null = null;

export const fingerprintAvailable = Boolean(process.env.DATABASE_URL);

export async function fingerprint(): Promise<Record<string, string> | null> {
  if (!process.env.DATABASE_URL) return null;
  pool ??= new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  if (!query) {
    const { rows } = await pool.query<{ table_name: string; has_updated: boolean }>(
      `select t.table_name, exists (select 1 from information_schema.columns c where c.table_schema = 'public' and c.table_name = t.table_name and c.column_name = 'updated_at') as has_updated
         from information_schema.tables t where t.table_schema = 'public' and t.table_type = 'BASE TABLE' order by t.table_name`,
    );
    const parts = rows
      .filter((r) => !BACKGROUND.has(r.table_name))
      .map((r) => {
        const where = BACKGROUND_ROWS[r.table_name] ? ` where ${BACKGROUND_ROWS[r.table_name]}` : "";
        const updated = r.has_updated && !COUNT_ONLY.has(r.table_name) ? ` || ' ' || coalesce(max(updated_at)::text, '-')` : "";
        return `'${r.table_name}', (select count(*)::text${updated} from "${r.table_name}"${where})`;
      });
    if (parts.length === 0) throw new Error("No tables found for the database fingerprint.");
    query = `select json_build_object(${parts.join(", ")}) as f`;
  }
  const { rows } = await pool.query<{ f: Record<string, string> }>(query);
  return rows[0]!.f;
}

/**
 * Waits until the fingerprint holds still (three readings a second apart), at most a minute:
 * jobs the specs before started may still be finishing when these specs begin.
 */
export async function settled(): Promise<void> {
  if (!process.env.DATABASE_URL) return;
  const deadline = Date.now() + 60_000;
  let last = JSON.stringify(await fingerprint());
  let still = 0;
  while (still < 2 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const now = JSON.stringify(await fingerprint());
    still = now === last ? still + 1 : 0;
    last = now;
  }
}

export async function closeFingerprint(): Promise<void> {
  await pool?.end();
  pool = null;
}

/** The tables whose fingerprint differs, for a readable failure. */
export function changedTables(before: Record<string, string> | null, after: Record<string, string> | null): string[] {
  if (!before || !after) return [];
  return Object.keys(before).filter((t) => before[t] !== after[t]).map((t) => `${t}: ${before[t]} → ${after[t]}`);
}
