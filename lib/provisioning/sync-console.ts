import { and, desc, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { emailLists, groups, people, provisionerTargets, provisioningConflicts, provisioningEvents, provisioningJobItems, provisioningJobs } from "@/db/schema";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { dispatch } from "./enqueue";
import { eventView, releaseQueuedJobs, type EventView, type ProvisioningJob } from "./job-store";
import { batchProgress, countOutcomes, finishedStatus, healthSummary, type BatchProgress, type HealthSummary, type JobStatus, type OutcomeCounts } from "./sync-summary";

/**
 * What the sync console shows about one target (issue 10 item 3): health, the live jobs, recent
 * runs, failed and partial items, the retry schedule, and the history of Mailman changes per
 * person or list. Database only: nothing here asks the core.
 */

export const RUNS_PER_PAGE = 20;
export const ITEMS_PER_PAGE = 25;
export const EVENTS_PER_PAGE = 25;

export interface JobRow {
  id: number;
  targetId: number;
  subjectType: ProvisioningJob["subjectType"];
  subjectId: number | null;
  subject: string;
  action: string;
  status: JobStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
  outcomes: OutcomeCounts;
  /** Mailman calls recorded so far (all attempts). */
  calls: number;
}

/** "Ada Lovelace", "list staff", "group G-staff", "the whole server", "validity sweep". */
async function subjectLabels(jobs: readonly Pick<ProvisioningJob, "subjectType" | "subjectId">[]): Promise<Map<string, string>> {
  const db = await getDb();
  const ids = (type: string) => [...new Set(jobs.filter((j) => j.subjectType === type && j.subjectId !== null).map((j) => j.subjectId!))];
  const [ps, ls, gs] = await Promise.all([
    ids("person").length ? db.select({ id: people.id, name: people.displayName }).from(people).where(inArray(people.id, ids("person"))) : [],
    ids("list").length ? db.select({ id: emailLists.id, name: emailLists.name }).from(emailLists).where(inArray(emailLists.id, ids("list"))) : [],
    ids("group").length ? db.select({ id: groups.id, name: groups.name }).from(groups).where(inArray(groups.id, ids("group"))) : [],
  ]);
  const out = new Map<string, string>();
  for (const p of ps) out.set(`person:${p.id}`, p.name || `person ${p.id}`);
  for (const l of ls) out.set(`list:${l.id}`, `list ${l.name}`);
  for (const g of gs) out.set(`group:${g.id}`, `group ${g.name}`);
  return out;
}

export function subjectText(labels: Map<string, string>, j: Pick<ProvisioningJob, "subjectType" | "subjectId">): string {
  if (j.subjectType === "target") return "the whole server";
  if (j.subjectType === "sweep") return "validity sweep";
  return labels.get(`${j.subjectType}:${j.subjectId}`) ?? `${j.subjectType} ${j.subjectId}`;
}

/** Item outcomes of each job's latest attempt, and the Mailman calls recorded for it. */
async function jobFigures(jobs: readonly ProvisioningJob[]): Promise<{ outcomes: Map<number, OutcomeCounts>; calls: Map<number, number> }> {
  const outcomes = new Map<number, OutcomeCounts>();
  const calls = new Map<number, number>();
  if (jobs.length === 0) return { outcomes, calls };
  const db = await getDb();
  const ids = jobs.map((j) => j.id);
  const [items, events] = await Promise.all([
    db
      .select({ jobId: provisioningJobItems.jobId, outcome: provisioningJobItems.outcome, n: sql<number>`count(*)::int` })
      .from(provisioningJobItems)
      .innerJoin(provisioningJobs, and(eq(provisioningJobs.id, provisioningJobItems.jobId), eq(provisioningJobs.attempts, provisioningJobItems.attempt)))
      .where(inArray(provisioningJobItems.jobId, ids))
      .groupBy(provisioningJobItems.jobId, provisioningJobItems.outcome),
    db
      .select({ jobId: provisioningEvents.jobId, n: sql<number>`count(*)::int` })
      .from(provisioningEvents)
      .where(inArray(provisioningEvents.jobId, ids))
      .groupBy(provisioningEvents.jobId),
  ]);
  for (const id of ids) outcomes.set(id, countOutcomes(items.filter((i) => i.jobId === id).map((i) => ({ outcome: i.outcome, n: Number(i.n) }))));
  for (const e of events) if (e.jobId !== null) calls.set(e.jobId, Number(e.n));
  return { outcomes, calls };
}

async function toRows(jobs: readonly ProvisioningJob[]): Promise<JobRow[]> {
  const [labels, figures] = await Promise.all([subjectLabels(jobs), jobFigures(jobs)]);
  return jobs.map((j) => ({
    id: j.id,
    targetId: j.targetId,
    subjectType: j.subjectType,
    subjectId: j.subjectId,
    subject: subjectText(labels, j),
    action: j.action,
    status: j.status,
    attempts: j.attempts,
    nextAttemptAt: j.status === "queued" ? j.nextAttemptAt.toISOString() : null,
    lastError: j.lastError,
    createdAt: j.createdAt.toISOString(),
    finishedAt: j.finishedAt?.toISOString() ?? null,
    outcomes: figures.outcomes.get(j.id) ?? {},
    calls: figures.calls.get(j.id) ?? 0,
  }));
}

export async function targetOrThrow(targetId: number) {
  const db = await getDb();
  const [t] = await db
    .select({ id: provisionerTargets.id, name: provisionerTargets.name, mode: provisionerTargets.mode, maxRetry: provisionerTargets.maxRetry, retryIntervalS: provisionerTargets.retryIntervalS })
    .from(provisionerTargets)
    .where(eq(provisionerTargets.id, targetId));
  if (!t) throw new NotFoundError("No such server.");
  return t;
}

/** Target health at a glance (last clean reconcile, drift of the nightly repair, conflicts, waiting jobs). */
export async function targetHealth(targetId: number, now = new Date()): Promise<HealthSummary> {
  const db = await getDb();
  const target = await targetOrThrow(targetId);
  const [good] = await db
    .select()
    .from(provisioningJobs)
    .where(and(eq(provisioningJobs.targetId, targetId), eq(provisioningJobs.subjectType, "target"), inArray(provisioningJobs.action, ["reconcile", "repair"]), eq(provisioningJobs.status, "succeeded")))
    .orderBy(desc(provisioningJobs.finishedAt))
    .limit(1);
  const [repair] = await db
    .select()
    .from(provisioningJobs)
    .where(and(eq(provisioningJobs.targetId, targetId), eq(provisioningJobs.action, "repair"), inArray(provisioningJobs.status, ["succeeded", "partial", "failed"])))
    .orderBy(desc(provisioningJobs.finishedAt))
    .limit(1);
  const repairOutcomes = repair ? ((await jobFigures([repair])).outcomes.get(repair.id) ?? {}) : {};
  const [counts] = await db
    .select({
      queued: sql<number>`count(*) filter (where ${provisioningJobs.status} = 'queued')::int`,
      running: sql<number>`count(*) filter (where ${provisioningJobs.status} = 'running')::int`,
      waitingRetry: sql<number>`count(*) filter (where ${provisioningJobs.status} = 'queued' and ${provisioningJobs.attempts} > 0 and ${provisioningJobs.nextAttemptAt} > now())::int`,
      waitingQueueRun: sql<number>`count(*) filter (where ${provisioningJobs.status} = 'queued' and ${provisioningJobs.attempts} = 0 and ${provisioningJobs.nextAttemptAt} > now())::int`,
      failedSince: sql<number>`count(*) filter (where ${provisioningJobs.status} = 'failed' and ${provisioningJobs.finishedAt} > now() - interval '24 hours')::int`,
    })
    .from(provisioningJobs)
    .where(eq(provisioningJobs.targetId, targetId));
  const [conflicts] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(provisioningConflicts)
    .where(and(eq(provisioningConflicts.targetId, targetId), isNull(provisioningConflicts.resolvedAt)));
  return healthSummary(
    {
      mode: target.mode,
      lastGoodReconcile: good?.finishedAt ? { jobId: good.id, action: good.action, finishedAt: good.finishedAt } : null,
      lastRepair: repair ? { jobId: repair.id, status: repair.status, finishedAt: repair.finishedAt, outcomes: repairOutcomes } : null,
      openConflicts: Number(conflicts?.n ?? 0),
      queued: Number(counts?.queued ?? 0),
      running: Number(counts?.running ?? 0),
      waitingRetry: Number(counts?.waitingRetry ?? 0),
      waitingQueueRun: Number(counts?.waitingQueueRun ?? 0),
      failedSince: Number(counts?.failedSince ?? 0),
    },
    now,
  );
}

export interface LiveView {
  progress: BatchProgress;
  /** Unfinished jobs first, then the batch's finished ones, newest first (at most 25). */
  jobs: JobRow[];
}

/** The jobs live now: the unfinished ones and those finished since the oldest of them was queued. */
export async function liveJobs(targetId: number): Promise<LiveView> {
  const db = await getDb();
  const [oldest] = await db
    .select({ at: sql<Date>`min(${provisioningJobs.createdAt})` })
    .from(provisioningJobs)
    .where(and(eq(provisioningJobs.targetId, targetId), inArray(provisioningJobs.status, ["queued", "running"])));
  const since = oldest?.at ? new Date(oldest.at) : null;
  if (!since) return { progress: batchProgress([]), jobs: [] };
  const batch = await db
    .select()
    .from(provisioningJobs)
    .where(and(eq(provisioningJobs.targetId, targetId), or(inArray(provisioningJobs.status, ["queued", "running"]), gt(provisioningJobs.createdAt, new Date(since.getTime() - 1)))))
    .orderBy(desc(provisioningJobs.id))
    .limit(1000);
  const figures = await jobFigures(batch);
  const progress = batchProgress(
    batch.map((j) => ({ id: j.id, status: j.status, attempts: j.attempts, nextAttemptAt: j.nextAttemptAt, createdAt: j.createdAt, finishedAt: j.finishedAt, outcomes: figures.outcomes.get(j.id) ?? {} })),
  );
  const shown = [...batch.filter((j) => !finishedStatus(j.status)), ...batch.filter((j) => finishedStatus(j.status))].slice(0, 25);
  return { progress, jobs: await toRows(shown) };
}

export async function recentRuns(targetId: number, page: number, filter: { status?: JobStatus; subjectType?: ProvisioningJob["subjectType"]; subjectId?: number } = {}) {
  const db = await getDb();
  const where = and(
    eq(provisioningJobs.targetId, targetId),
    filter.status ? eq(provisioningJobs.status, filter.status) : undefined,
    filter.subjectType ? eq(provisioningJobs.subjectType, filter.subjectType) : undefined,
    filter.subjectId !== undefined ? eq(provisioningJobs.subjectId, filter.subjectId) : undefined,
  );
  const rows = await db
    .select()
    .from(provisioningJobs)
    .where(where)
    .orderBy(desc(provisioningJobs.id))
    .limit(RUNS_PER_PAGE)
    .offset((page - 1) * RUNS_PER_PAGE);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(provisioningJobs).where(where);
  return { rows: await toRows(rows), total: Number(count?.n ?? 0), page, perPage: RUNS_PER_PAGE };
}

/** Error and conflict items of the latest attempt of partial and failed jobs, newest first. */
export async function problemItems(targetId: number, page: number) {
  const db = await getDb();
  const where = and(
    eq(provisioningJobs.targetId, targetId),
    inArray(provisioningJobs.status, ["partial", "failed"]),
    inArray(provisioningJobItems.outcome, ["error", "conflict"]),
  );
  const from = db
    .select({
      id: provisioningJobItems.id,
      jobId: provisioningJobItems.jobId,
      jobStatus: provisioningJobs.status,
      personId: provisioningJobItems.personId,
      person: people.displayName,
      emailListId: provisioningJobItems.emailListId,
      list: emailLists.name,
      email: provisioningJobItems.email,
      role: provisioningJobItems.role,
      outcome: provisioningJobItems.outcome,
      message: provisioningJobItems.message,
      at: provisioningJobItems.at,
    })
    .from(provisioningJobItems)
    .innerJoin(provisioningJobs, and(eq(provisioningJobs.id, provisioningJobItems.jobId), eq(provisioningJobs.attempts, provisioningJobItems.attempt)))
    .leftJoin(people, eq(people.id, provisioningJobItems.personId))
    .leftJoin(emailLists, eq(emailLists.id, provisioningJobItems.emailListId));
  const rows = await from
    .where(where)
    .orderBy(desc(provisioningJobItems.id))
    .limit(ITEMS_PER_PAGE)
    .offset((page - 1) * ITEMS_PER_PAGE);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(provisioningJobItems)
    .innerJoin(provisioningJobs, and(eq(provisioningJobs.id, provisioningJobItems.jobId), eq(provisioningJobs.attempts, provisioningJobItems.attempt)))
    .where(where);
  return { rows: rows.map((r) => ({ ...r, at: r.at.toISOString() })), total: Number(count?.n ?? 0), page, perPage: ITEMS_PER_PAGE };
}

/** Jobs waiting for a retry after a transport error, and failed ones (out of retries or not retried). */
export async function retrySchedule(targetId: number) {
  const db = await getDb();
  const rows = await db
    .select()
    .from(provisioningJobs)
    .where(
      and(
        eq(provisioningJobs.targetId, targetId),
        or(and(eq(provisioningJobs.status, "queued"), gt(provisioningJobs.attempts, 0)), and(eq(provisioningJobs.status, "failed"), gt(provisioningJobs.finishedAt, sql`now() - interval '7 days'`))),
      ),
    )
    .orderBy(sql`${provisioningJobs.status} = 'failed'`, provisioningJobs.nextAttemptAt, desc(provisioningJobs.id))
    .limit(50);
  return toRows(rows);
}

/**
 * "Run queued jobs now": the queue run of a queue-mode target, at once. Every job waiting for its
 * first attempt is made due and the workers are woken; retries keep their own schedule.
 */
export async function runQueuedJobsNow(targetId: number): Promise<{ jobIds: number[] }> {
  await targetOrThrow(targetId);
  const jobIds = await releaseQueuedJobs(targetId);
  await dispatch(jobIds).catch(() => {
    // The worker's poll finds due jobs anyway.
  });
  return { jobIds };
}

/**
 * "Retry now": a job waiting for its retry, or one that ended failed or partial, is queued to run
 * at once (from scratch, like every attempt) and the workers are woken.
 */
export async function retryJobNow(jobId: number, targetId?: number): Promise<{ jobId: number }> {
  const db = await getDb();
  const [job] = await db.select().from(provisioningJobs).where(eq(provisioningJobs.id, jobId));
  if (!job || (targetId !== undefined && job.targetId !== targetId)) throw new NotFoundError(`There is no job ${jobId} on this server.`);
  if (job.status === "running") throw new ConflictError("This job is running now.");
  if (job.status === "succeeded") throw new ConflictError("This job succeeded: there is nothing to retry.");
  const rows = await db
    .update(provisioningJobs)
    .set({ status: "queued", nextAttemptAt: sql`now()`, finishedAt: null, leaseOwner: null, leaseExpiresAt: null })
    .where(and(eq(provisioningJobs.id, jobId), inArray(provisioningJobs.status, ["queued", "failed", "partial"])))
    .returning({ id: provisioningJobs.id });
  if (rows.length === 0) throw new ConflictError("This job changed meanwhile; reload the page.");
  await dispatch([jobId]).catch(() => {
    // The worker's poll finds due jobs anyway.
  });
  return { jobId };
}

export async function jobRow(jobId: number, targetId?: number): Promise<JobRow> {
  const db = await getDb();
  const [job] = await db.select().from(provisioningJobs).where(eq(provisioningJobs.id, jobId));
  if (!job || (targetId !== undefined && job.targetId !== targetId)) throw new NotFoundError(`There is no job ${jobId} on this server.`);
  return (await toRows([job]))[0]!;
}

/** The items of a job's latest attempt, paged, with names. */
export async function jobItemsPage(jobId: number, attempt: number, page: number) {
  const db = await getDb();
  const where = and(eq(provisioningJobItems.jobId, jobId), eq(provisioningJobItems.attempt, attempt));
  const rows = await db
    .select({
      id: provisioningJobItems.id,
      personId: provisioningJobItems.personId,
      person: people.displayName,
      emailListId: provisioningJobItems.emailListId,
      list: emailLists.name,
      email: provisioningJobItems.email,
      role: provisioningJobItems.role,
      outcome: provisioningJobItems.outcome,
      message: provisioningJobItems.message,
    })
    .from(provisioningJobItems)
    .leftJoin(people, eq(people.id, provisioningJobItems.personId))
    .leftJoin(emailLists, eq(emailLists.id, provisioningJobItems.emailListId))
    .where(where)
    .orderBy(provisioningJobItems.id)
    .limit(ITEMS_PER_PAGE)
    .offset((page - 1) * ITEMS_PER_PAGE);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(provisioningJobItems).where(where);
  return { rows, total: Number(count?.n ?? 0), page, perPage: ITEMS_PER_PAGE };
}

export type HistoryRow = EventView;

/**
 * Every Mailman change made for one person or one list (the event rows), newest first, paged.
 * `targetId` narrows it to one server.
 */
export async function changeHistory(subject: { personId: number } | { emailListId: number }, options: { page: number; perPage?: number; targetId?: number }) {
  const db = await getDb();
  const perPage = options.perPage ?? EVENTS_PER_PAGE;
  const where = and(
    "personId" in subject ? eq(provisioningEvents.personId, subject.personId) : eq(provisioningEvents.emailListId, subject.emailListId),
    options.targetId !== undefined ? eq(provisioningEvents.targetId, options.targetId) : undefined,
  );
  const rows = await db
    .select()
    .from(provisioningEvents)
    .where(where)
    .orderBy(desc(provisioningEvents.id))
    .limit(perPage)
    .offset((options.page - 1) * perPage);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(provisioningEvents).where(where);
  const items: HistoryRow[] = rows.map(eventView);
  return { items, total: Number(count?.n ?? 0), page: options.page, perPage };
}
