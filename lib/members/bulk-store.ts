import { and, asc, desc, eq, gt, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { bulkJobItems, bulkJobs } from "@/db/schema";
import type { BulkOutcome } from "./bulk-outcome";

/**
 * The bulk-job tables (db/schema/bulk-jobs.ts): what the app writes when a job is started and
 * reads for progress and reports, and what a worker claims, renews and records. Statements that
 * touch many items at once are single SQL statements, so a 10,000-address job costs a few dozen
 * round trips to the database, not 20,000.
 */

export type BulkJob = typeof bulkJobs.$inferSelect;
export type BulkKind = BulkJob["kind"];
export type BulkStatus = BulkJob["status"];

export interface NewItem {
  email: string;
  displayName: string | null;
  expectedMember: boolean;
  /** Set for entries that are reported without being sent (invalid input). */
  final?: { outcome: BulkOutcome; detail: string | null };
  /** Unique and increasing in input order (the input line); default: consecutive from `firstPosition`. */
  position?: number;
}

export interface ClaimedItem {
  position: number;
  email: string;
  displayName: string | null;
  expectedMember: boolean;
  attempts: number;
  /** When the item was last claimed or recorded (in-doubt items: when it was last sent). */
  updatedAt?: Date;
}

type Executor = Pick<Db, "insert" | "update">;

const INSERT_CHUNK = 1_000;

export async function insertItems(jobId: number, items: readonly NewItem[], firstPosition = 1, executor?: Executor): Promise<void> {
  const db = executor ?? (await getDb());
  for (let start = 0; start < items.length; start += INSERT_CHUNK) {
    const rows = items.slice(start, start + INSERT_CHUNK).map((item, i) => ({
      jobId,
      position: item.position ?? firstPosition + start + i,
      email: item.email,
      displayName: item.displayName,
      expectedMember: item.expectedMember,
      state: item.final ? ("done" as const) : ("pending" as const),
      outcome: item.final?.outcome ?? null,
      detail: item.final?.detail ?? null,
    }));
    await db.insert(bulkJobItems).values(rows);
  }
}

export async function createBulkJob(input: {
  targetId: number;
  listId: string;
  kind: BulkKind;
  source: "text" | "csv" | "roster";
  options: Record<string, unknown>;
  createdBy: string | null;
  items: readonly NewItem[];
}): Promise<number> {
  const db = await getDb();
  // One transaction: a worker never sees a job whose items are still being written.
  return db.transaction(async (tx) => {
    const [job] = await tx
      .insert(bulkJobs)
      .values({
        targetId: input.targetId,
        listId: input.listId,
        kind: input.kind,
        source: input.source,
        options: input.options,
        createdBy: input.createdBy,
        total: input.items.length,
      })
      .returning({ id: bulkJobs.id });
    await insertItems(job!.id, input.items, 1, tx);
    return job!.id;
  });
}

/**
 * Remove-all: the roster read by the worker becomes the job's items and total in one
 * transaction. A worker killed while writing them leaves no items at all, so the next one reads
 * the roster again instead of resuming on a partial one and reporting done.
 */
export async function insertRosterItems(jobId: number, items: readonly NewItem[]): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await insertItems(jobId, items, 1, tx);
    await tx.update(bulkJobs).set({ total: items.length }).where(eq(bulkJobs.id, jobId));
  });
}

export async function getBulkJob(jobId: number): Promise<BulkJob | null> {
  const db = await getDb();
  const [job] = await db.select().from(bulkJobs).where(eq(bulkJobs.id, jobId));
  return job ?? null;
}

export async function listBulkJobs(targetId: number, listId: string, limit = 10): Promise<BulkJob[]> {
  const db = await getDb();
  return db
    .select()
    .from(bulkJobs)
    .where(and(eq(bulkJobs.targetId, targetId), eq(bulkJobs.listId, listId)))
    .orderBy(desc(bulkJobs.createdAt), desc(bulkJobs.id))
    .limit(limit);
}

export async function setJobTotal(jobId: number, total: number): Promise<void> {
  const db = await getDb();
  await db.update(bulkJobs).set({ total }).where(eq(bulkJobs.id, jobId));
}

export async function requestCancel(jobId: number): Promise<void> {
  const db = await getDb();
  await db.update(bulkJobs).set({ cancelRequested: true }).where(eq(bulkJobs.id, jobId));
}

// Leases ----------------------------------------------------------------------------------------

/** Takes the job for `workerId` unless a live worker holds it or it is finished. */
export async function claimJob(jobId: number, workerId: string, leaseMs: number): Promise<BulkJob | null> {
  const db = await getDb();
  const [job] = await db
    .update(bulkJobs)
    .set({
      status: "running",
      leaseOwner: workerId,
      leaseExpiresAt: sql`now() + ${`${leaseMs} milliseconds`}::interval`,
      startedAt: sql`coalesce(${bulkJobs.startedAt}, now())`,
    })
    .where(
      and(
        eq(bulkJobs.id, jobId),
        sql`${bulkJobs.status} in ('queued', 'running')`,
        sql`(${bulkJobs.leaseOwner} is null or ${bulkJobs.leaseOwner} = ${workerId} or ${bulkJobs.leaseExpiresAt} < now())`,
      ),
    )
    .returning();
  return job ?? null;
}

/** False when the lease was lost (another worker took over after this one stalled). */
export async function renewLease(jobId: number, workerId: string, leaseMs: number): Promise<{ held: boolean; cancelRequested: boolean }> {
  const db = await getDb();
  const [row] = await db
    .update(bulkJobs)
    .set({ leaseExpiresAt: sql`now() + ${`${leaseMs} milliseconds`}::interval` })
    .where(and(eq(bulkJobs.id, jobId), eq(bulkJobs.leaseOwner, workerId)))
    .returning({ cancelRequested: bulkJobs.cancelRequested });
  return { held: Boolean(row), cancelRequested: row?.cancelRequested ?? false };
}

/** Lets another worker take the job at once (a worker that stops cleanly mid-job). */
export async function releaseLease(jobId: number, workerId: string): Promise<void> {
  const db = await getDb();
  await db
    .update(bulkJobs)
    .set({ leaseOwner: null, leaseExpiresAt: null })
    .where(and(eq(bulkJobs.id, jobId), eq(bulkJobs.leaseOwner, workerId)));
}

export async function finishJob(jobId: number, workerId: string, status: "done" | "failed" | "cancelled", error?: string): Promise<void> {
  const db = await getDb();
  await db
    .update(bulkJobs)
    .set({ status, error: error ?? null, finishedAt: sql`now()`, leaseOwner: null, leaseExpiresAt: null })
    .where(and(eq(bulkJobs.id, jobId), eq(bulkJobs.leaseOwner, workerId)));
}

/** Unfinished jobs nobody works on: expired leases, or queued a while without a taker. */
export async function orphanedJobIds(queuedGraceMs: number): Promise<number[]> {
  const db = await getDb();
  const rows = await db
    .select({ id: bulkJobs.id })
    .from(bulkJobs)
    .where(
      and(
        sql`${bulkJobs.status} in ('queued', 'running')`,
        sql`(${bulkJobs.leaseExpiresAt} < now() or (${bulkJobs.leaseOwner} is null and ${bulkJobs.createdAt} < now() - ${`${queuedGraceMs} milliseconds`}::interval))`,
      ),
    )
    .orderBy(asc(bulkJobs.id));
  return rows.map((r) => r.id);
}

// Items -----------------------------------------------------------------------------------------

interface RawItem {
  position: number;
  email: string;
  display_name: string | null;
  expected_member: boolean;
  attempts: number;
}

const toClaimed = (r: RawItem): ClaimedItem => ({
  position: Number(r.position),
  email: r.email,
  displayName: r.display_name,
  expectedMember: r.expected_member,
  attempts: Number(r.attempts),
});

/**
 * Marks up to `limit` pending items as being sent by `workerId`, in input order, and returns them;
 * none once the worker's lease has expired or was taken (see `holdsLease`). Two runs of one job
 * can overlap for a moment (a worker whose lease ran out while the database was away, and the one
 * that took the job over): `skip locked` and the outer `state = 'pending'` make sure no item is
 * claimed by both. Without them each run's UPDATE re-checked only its own subquery's old answer,
 * and both sent the same 40 addresses (the second copy came back "already a member").
 */
export async function claimPendingItems(jobId: number, workerId: string, limit: number): Promise<ClaimedItem[]> {
  const db = await getDb();
  // The positions are picked once (a materialized CTE): as an IN subquery the planner may run
  // it again per row, and a locking LIMIT then picks further rows each time.
  const result = await db.execute(sql`
    with picked as materialized (
      select i.position from bulk_job_items i
      where i.job_id = ${jobId} and i.state = 'pending'
        and exists (select 1 from bulk_jobs j where j.id = ${jobId} and j.lease_owner = ${workerId} and j.lease_expires_at > now())
      order by i.position limit ${limit}
      for update of i skip locked
    )
    update bulk_job_items set state = 'sending', attempts = attempts + 1, updated_at = now()
    where job_id = ${jobId} and state = 'pending' and position in (select position from picked)
    returning position, email, display_name, expected_member, attempts`);
  return (result as unknown as { rows: RawItem[] }).rows.map(toClaimed).sort((a, b) => a.position - b.position);
}

/** Whether `workerId` still holds the job under a lease that has not expired. */
export async function holdsLease(jobId: number, workerId: string): Promise<boolean> {
  const db = await getDb();
  const [row] = await db
    .select({ id: bulkJobs.id })
    .from(bulkJobs)
    .where(and(eq(bulkJobs.id, jobId), eq(bulkJobs.leaseOwner, workerId), sql`${bulkJobs.leaseExpiresAt} > now()`));
  return Boolean(row);
}

/** Items a worker claimed and never recorded: the core may or may not have acted on them. */
export async function itemsInDoubt(jobId: number): Promise<ClaimedItem[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(bulkJobItems)
    .where(and(eq(bulkJobItems.jobId, jobId), eq(bulkJobItems.state, "sending")))
    .orderBy(asc(bulkJobItems.position));
  return rows.map((r) => ({
    position: r.position,
    email: r.email,
    displayName: r.displayName,
    expectedMember: r.expectedMember,
    attempts: r.attempts,
    updatedAt: r.updatedAt,
  }));
}

/** Counts another attempt of in-doubt items that are about to be sent again. */
export async function countAttempt(jobId: number, positions: readonly number[]): Promise<void> {
  if (positions.length === 0) return;
  const db = await getDb();
  await db.execute(sql`
    update bulk_job_items set attempts = attempts + 1, updated_at = now()
    where job_id = ${jobId} and position in (select (jsonb_array_elements_text(${JSON.stringify(positions)}::jsonb))::int)`);
}

export async function recordResults(jobId: number, results: readonly { position: number; outcome: BulkOutcome; detail: string | null }[]): Promise<void> {
  if (results.length === 0) return;
  const db = await getDb();
  await db.execute(sql`
    update bulk_job_items as i set state = 'done', outcome = v.outcome, detail = v.detail, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(results)}::jsonb) as v(position int, outcome text, detail text)
    where i.job_id = ${jobId} and i.position = v.position`);
}

/** Ends every item not sent yet as "cancelled" (items being sent finish first). */
export async function cancelPendingItems(jobId: number): Promise<void> {
  const db = await getDb();
  await db
    .update(bulkJobItems)
    .set({ state: "done", outcome: "cancelled", detail: "The job was cancelled before this address was sent", updatedAt: sql`now()` })
    .where(and(eq(bulkJobItems.jobId, jobId), eq(bulkJobItems.state, "pending")));
}

export async function itemCount(jobId: number): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(bulkJobItems).where(eq(bulkJobItems.jobId, jobId));
  return Number(row?.n ?? 0);
}

// Progress and reports --------------------------------------------------------------------------

export interface JobProgress {
  total: number;
  done: number;
  outcomes: Partial<Record<BulkOutcome, number>>;
}

export async function jobProgress(job: Pick<BulkJob, "id" | "total">): Promise<JobProgress> {
  const db = await getDb();
  const rows = await db
    .select({ outcome: bulkJobItems.outcome, n: sql<number>`count(*)::int` })
    .from(bulkJobItems)
    .where(and(eq(bulkJobItems.jobId, job.id), eq(bulkJobItems.state, "done")))
    .groupBy(bulkJobItems.outcome);
  const outcomes: Partial<Record<BulkOutcome, number>> = {};
  let done = 0;
  for (const row of rows) {
    const n = Number(row.n);
    done += n;
    if (row.outcome) outcomes[row.outcome as BulkOutcome] = n;
  }
  return { total: job.total, done, outcomes };
}

export interface ReportRow {
  position: number;
  email: string;
  displayName: string | null;
  state: "pending" | "sending" | "done";
  outcome: BulkOutcome | null;
  detail: string | null;
  /** More than 1: the item was sent again after a worker died or the core was unreachable. */
  attempts: number;
}

/** Items in input order, `after` a position (keyset paging: cheap at any depth). */
export async function reportPage(jobId: number, options: { after?: number; limit: number; outcome?: BulkOutcome }): Promise<ReportRow[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(bulkJobItems)
    .where(
      and(
        eq(bulkJobItems.jobId, jobId),
        gt(bulkJobItems.position, options.after ?? 0),
        options.outcome ? eq(bulkJobItems.outcome, options.outcome) : undefined,
      ),
    )
    .orderBy(asc(bulkJobItems.position))
    .limit(options.limit);
  return rows.map(toReportRow);
}

function toReportRow(r: typeof bulkJobItems.$inferSelect): ReportRow {
  return {
    position: r.position,
    email: r.email,
    displayName: r.displayName,
    state: r.state,
    outcome: (r.outcome as BulkOutcome | null) ?? null,
    detail: r.detail,
    attempts: r.attempts,
  };
}

export async function* allReportRows(jobId: number, pageSize = 1_000): AsyncGenerator<ReportRow> {
  let after = 0;
  for (;;) {
    const page = await reportPage(jobId, { after, limit: pageSize });
    yield* page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.position;
  }
}

export async function unfinishedJobCount(): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(bulkJobs).where(sql`${bulkJobs.status} in ('queued', 'running')`);
  return Number(row?.n ?? 0);
}

/** One page of the report table, optionally of one outcome. */
export async function reportTablePage(jobId: number, options: { page: number; size: number; outcome?: BulkOutcome }): Promise<{ rows: ReportRow[]; total: number }> {
  const db = await getDb();
  const where = and(eq(bulkJobItems.jobId, jobId), options.outcome ? eq(bulkJobItems.outcome, options.outcome) : undefined);
  const [rows, [count]] = await Promise.all([
    db
      .select()
      .from(bulkJobItems)
      .where(where)
      .orderBy(asc(bulkJobItems.position))
      .limit(options.size)
      .offset((options.page - 1) * options.size),
    db.select({ n: sql<number>`count(*)::int` }).from(bulkJobItems).where(where),
  ]);
  return { rows: rows.map(toReportRow), total: Number(count?.n ?? 0) };
}
