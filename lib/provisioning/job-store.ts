import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { provisionerTargets, provisioningEvents, provisioningJobItems, provisioningJobs } from "@/db/schema";

/**
 * The provisioning job table (db/schema/provisioning.ts): create (inside the caller's
 * transaction, so a registry change and its jobs commit together), claim with a lease, finish,
 * schedule a retry. Items and events are written as the executor goes.
 */

export type ProvisioningJob = typeof provisioningJobs.$inferSelect;
export type SubjectType = ProvisioningJob["subjectType"];
export type JobItemOutcome = "created" | "subscribed" | "unsubscribed" | "updated" | "unchanged" | "error" | "conflict" | "warning";

export interface NewProvisioningJob {
  targetId: number;
  subjectType: SubjectType;
  subjectId: number | null;
  action: string;
  options?: Record<string, unknown>;
  requestedBy?: string | null;
  /** `queue_run`: held until the next queue run (a queue-mode target's change, modes.ts). */
  runAt?: "now" | "queue_run";
}

/** The start of the next minute, in the database's clock: when a queue-mode target's changes run. */
const NEXT_QUEUE_RUN = sql`date_trunc('minute', now()) + interval '1 minute'`;

type Executor = Pick<Db, "insert" | "select" | "update" | "execute">;

/**
 * Queues a job unless the same one is already waiting (a burst of edits to one person queues one
 * run, which recomputes everything from scratch anyway).
 */
export async function insertJob(job: NewProvisioningJob, executor?: Executor): Promise<number> {
  const db = executor ?? (await getDb());
  const options = job.options ?? {};
  const [waiting] = await db
    .select({ id: provisioningJobs.id })
    .from(provisioningJobs)
    .where(
      and(
        eq(provisioningJobs.targetId, job.targetId),
        eq(provisioningJobs.subjectType, job.subjectType),
        job.subjectId === null ? sql`${provisioningJobs.subjectId} is null` : eq(provisioningJobs.subjectId, job.subjectId),
        eq(provisioningJobs.action, job.action),
        eq(provisioningJobs.status, "queued"),
        eq(provisioningJobs.attempts, 0),
        sql`${provisioningJobs.options} = ${JSON.stringify(options)}::jsonb`,
      ),
    )
    .limit(1);
  if (waiting) return waiting.id;
  const [row] = await db
    .insert(provisioningJobs)
    .values({
      targetId: job.targetId,
      subjectType: job.subjectType,
      subjectId: job.subjectId,
      action: job.action,
      options,
      requestedBy: job.requestedBy ?? null,
      ...(job.runAt === "queue_run" ? { nextAttemptAt: NEXT_QUEUE_RUN } : {}),
    })
    .returning({ id: provisioningJobs.id });
  return row!.id;
}

/** Of `ids`, the jobs a worker may take now (not waiting for a queue run or a retry). */
export async function dueNow(ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const db = await getDb();
  const rows = await db
    .select({ id: provisioningJobs.id })
    .from(provisioningJobs)
    .where(and(inArray(provisioningJobs.id, [...ids]), eq(provisioningJobs.status, "queued"), sql`${provisioningJobs.nextAttemptAt} <= now()`));
  return rows.map((r) => r.id);
}

/**
 * The queue run, now: every job of the target that waits for its first attempt is made due at
 * once ("Run queued jobs now" on the sync console, or the target left queue mode). Retries keep
 * their schedule ("Retry now" is per job). Answers the ids made due.
 */
export async function releaseQueuedJobs(targetId: number): Promise<number[]> {
  const db = await getDb();
  const rows = await db
    .update(provisioningJobs)
    .set({ nextAttemptAt: sql`now()` })
    .where(
      and(
        eq(provisioningJobs.targetId, targetId),
        eq(provisioningJobs.status, "queued"),
        eq(provisioningJobs.attempts, 0),
        sql`${provisioningJobs.nextAttemptAt} > now()`,
      ),
    )
    .returning({ id: provisioningJobs.id });
  return rows.map((r) => r.id);
}

export async function getJob(jobId: number): Promise<ProvisioningJob | null> {
  const db = await getDb();
  const [row] = await db.select().from(provisioningJobs).where(eq(provisioningJobs.id, jobId));
  return row ?? null;
}

/** Takes a due job: queued (or running with an expired lease) and its next attempt time reached. */
export async function claimJob(jobId: number, workerId: string, leaseMs: number): Promise<ProvisioningJob | null> {
  const db = await getDb();
  const [row] = await db
    .update(provisioningJobs)
    .set({
      status: "running",
      attempts: sql`${provisioningJobs.attempts} + 1`,
      leaseOwner: workerId,
      leaseExpiresAt: sql`now() + ${`${leaseMs} milliseconds`}::interval`,
      startedAt: sql`coalesce(${provisioningJobs.startedAt}, now())`,
    })
    .where(
      and(
        eq(provisioningJobs.id, jobId),
        sql`${provisioningJobs.nextAttemptAt} <= now()`,
        sql`(${provisioningJobs.status} = 'queued' or (${provisioningJobs.status} = 'running' and ${provisioningJobs.leaseExpiresAt} < now()))`,
      ),
    )
    .returning();
  return row ?? null;
}

export async function renewLease(jobId: number, workerId: string, leaseMs: number): Promise<boolean> {
  const db = await getDb();
  const rows = await db
    .update(provisioningJobs)
    .set({ leaseExpiresAt: sql`now() + ${`${leaseMs} milliseconds`}::interval` })
    .where(and(eq(provisioningJobs.id, jobId), eq(provisioningJobs.leaseOwner, workerId)))
    .returning({ id: provisioningJobs.id });
  return rows.length > 0;
}

export async function finishJob(jobId: number, workerId: string, status: "succeeded" | "partial" | "failed", lastError: string | null): Promise<void> {
  const db = await getDb();
  await db
    .update(provisioningJobs)
    .set({ status, lastError, finishedAt: sql`now()`, leaseOwner: null, leaseExpiresAt: null })
    .where(and(eq(provisioningJobs.id, jobId), eq(provisioningJobs.leaseOwner, workerId)));
}

/** A transport failure: wait `retry_interval_s` and try again, from scratch (§8.7). */
export async function scheduleRetry(jobId: number, workerId: string, delaySeconds: number, lastError: string): Promise<Date | null> {
  const db = await getDb();
  const [row] = await db
    .update(provisioningJobs)
    .set({
      status: "queued",
      lastError,
      nextAttemptAt: sql`now() + ${`${delaySeconds} seconds`}::interval`,
      leaseOwner: null,
      leaseExpiresAt: null,
    })
    .where(and(eq(provisioningJobs.id, jobId), eq(provisioningJobs.leaseOwner, workerId)))
    .returning({ next: provisioningJobs.nextAttemptAt });
  return row?.next ?? null;
}

export async function releaseJob(jobId: number, workerId: string): Promise<void> {
  const db = await getDb();
  await db
    .update(provisioningJobs)
    .set({ status: "queued", attempts: sql`greatest(${provisioningJobs.attempts} - 1, 0)`, leaseOwner: null, leaseExpiresAt: null })
    .where(and(eq(provisioningJobs.id, jobId), eq(provisioningJobs.leaseOwner, workerId)));
}

/** Jobs whose time has come and nobody holds: queued and due, or running with a dead lease. */
export async function dueJobIds(limit = 100): Promise<number[]> {
  const db = await getDb();
  const rows = await db
    .select({ id: provisioningJobs.id })
    .from(provisioningJobs)
    .where(
      and(
        sql`${provisioningJobs.nextAttemptAt} <= now()`,
        sql`(${provisioningJobs.status} = 'queued' or (${provisioningJobs.status} = 'running' and ${provisioningJobs.leaseExpiresAt} < now()))`,
      ),
    )
    .orderBy(asc(provisioningJobs.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** Queued or running; with `dueWithinSeconds`, retries waiting longer than that are not counted. */
export async function unfinishedJobCount(options: { dueWithinSeconds?: number } = {}): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(provisioningJobs)
    .where(
      and(
        inArray(provisioningJobs.status, ["queued", "running"]),
        options.dueWithinSeconds === undefined ? undefined : sql`${provisioningJobs.nextAttemptAt} <= now() + ${`${options.dueWithinSeconds} seconds`}::interval`,
      ),
    );
  return Number(row?.n ?? 0);
}

export interface JobItem {
  personId?: number | null;
  emailListId?: number | null;
  email?: string | null;
  role?: string | null;
  outcome: JobItemOutcome;
  message: string;
}

export async function insertItems(jobId: number, attempt: number, items: readonly JobItem[]): Promise<void> {
  if (items.length === 0) return;
  const db = await getDb();
  for (let i = 0; i < items.length; i += 1000) {
    await db.insert(provisioningJobItems).values(
      items.slice(i, i + 1000).map((item) => ({
        jobId,
        attempt,
        personId: item.personId ?? null,
        emailListId: item.emailListId ?? null,
        email: item.email ?? null,
        role: item.role ?? null,
        outcome: item.outcome,
        message: item.message,
      })),
    );
  }
}

/** The items of the job's latest attempt. */
export async function jobItems(jobId: number, attempt: number) {
  const db = await getDb();
  return db
    .select()
    .from(provisioningJobItems)
    .where(and(eq(provisioningJobItems.jobId, jobId), eq(provisioningJobItems.attempt, attempt)))
    .orderBy(asc(provisioningJobItems.id));
}

export type NewEvent = typeof provisioningEvents.$inferInsert;

/** One event row as the API (`GET /events`) and the console's change history show it. */
export function eventView(e: typeof provisioningEvents.$inferSelect) {
  return {
    id: e.id,
    jobId: e.jobId,
    personId: e.personId,
    emailListId: e.emailListId,
    op: e.op,
    role: e.role,
    mailmanListId: e.mailmanListId,
    email: e.email,
    method: e.method,
    path: e.path,
    httpStatus: e.httpStatus,
    message: e.message,
    at: e.at.toISOString(),
  };
}

export type EventView = ReturnType<typeof eventView>;

export async function insertEvents(events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  const db = await getDb();
  for (let i = 0; i < events.length; i += 1000) await db.insert(provisioningEvents).values(events.slice(i, i + 1000) as NewEvent[]);
}

export async function listEvents(filter: { personId?: number; emailListId?: number; jobId?: number; limit?: number }) {
  const db = await getDb();
  return db
    .select()
    .from(provisioningEvents)
    .where(
      and(
        filter.personId !== undefined ? eq(provisioningEvents.personId, filter.personId) : undefined,
        filter.emailListId !== undefined ? eq(provisioningEvents.emailListId, filter.emailListId) : undefined,
        filter.jobId !== undefined ? eq(provisioningEvents.jobId, filter.jobId) : undefined,
      ),
    )
    .orderBy(asc(provisioningEvents.id))
    .limit(filter.limit ?? 1000);
}

export async function listJobs(filter: { status?: ProvisioningJob["status"]; targetId?: number; subjectType?: SubjectType; subjectId?: number; limit?: number; offset?: number }) {
  const db = await getDb();
  const where = and(
    filter.status ? eq(provisioningJobs.status, filter.status) : undefined,
    filter.targetId !== undefined ? eq(provisioningJobs.targetId, filter.targetId) : undefined,
    filter.subjectType ? eq(provisioningJobs.subjectType, filter.subjectType) : undefined,
    filter.subjectId !== undefined ? eq(provisioningJobs.subjectId, filter.subjectId) : undefined,
  );
  const rows = await db
    .select()
    .from(provisioningJobs)
    .where(where)
    .orderBy(desc(provisioningJobs.id))
    .limit(filter.limit ?? 50)
    .offset(filter.offset ?? 0);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(provisioningJobs).where(where);
  return { rows, total: Number(count?.n ?? 0) };
}

export async function targetMode(targetId: number, executor?: Pick<Db, "select">): Promise<string | null> {
  const db = executor ?? (await getDb());
  const [row] = await db.select({ mode: provisionerTargets.mode }).from(provisionerTargets).where(eq(provisionerTargets.id, targetId));
  return row?.mode ?? null;
}
