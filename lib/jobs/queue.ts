import PgBoss from "pg-boss";
import { getSqlExecutor } from "@/db/client";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";

/**
 * The Postgres-backed job queue (pg-boss), on the same database client as everything else
 * (db/client.ts `getSqlExecutor`): a `pg` pool on PostgreSQL, the embedded PGlite otherwise.
 *
 * Jobs only carry an id: the state of a bulk job lives in `bulk_jobs` / `bulk_job_items`
 * (lib/members/bulk-store.ts), so a job that pg-boss delivers twice, or a recovery that sends it
 * again, does no harm.
 *
 * Where the worker runs: with PostgreSQL, in its own process (`npm run worker`, scripts/worker.ts);
 * with PGlite, which admits one process, inside the app (instrumentation.ts). `JOB_WORKER`
 * overrides the choice.
 */

export const BULK_QUEUE = "bulk-job";
/** Provisioning jobs (lib/provisioning/run-job.ts): the message carries the job id only. */
export const PROVISIONING_QUEUE = "provisioning-job";
/** "Remove everywhere" jobs (lib/people/remove-everywhere-run.ts): the message carries the job id only. */
export const REMOVE_EVERYWHERE_QUEUE = "remove-everywhere-job";
/** Scheduled runs (pg-boss cron): the validity sweep every minute, drift repair nightly. */
export const SWEEP_SCHEDULE = "provisioning-sweep";
export const REPAIR_SCHEDULE = "provisioning-repair";
/** Every minute: each server's list index snapshot read again (lib/lists/list-snapshot.ts). */
export const SNAPSHOT_SCHEDULE = "list-snapshot-refresh";
/** NOTIFY channel that wakes a worker at once instead of at its next poll. */
export const WAKE_CHANNEL = "listkeeper_jobs";

export type WorkerPlacement = "inline" | "external";

export function workerPlacement(): WorkerPlacement {
  const chosen = process.env.JOB_WORKER;
  if (chosen === "inline" || chosen === "external") return chosen;
  return env.DATABASE_URL ? "external" : "inline";
}

interface BossHolder {
  __listkeeperBoss?: Promise<PgBoss>;
  __listkeeperBossSupervised?: boolean;
  /** In-process wake-up for inline workers (LISTEN/NOTIFY needs a second connection). */
  __listkeeperWake?: Set<() => void>;
}
const holder = globalThis as unknown as BossHolder;

async function createBoss(supervise: boolean): Promise<PgBoss> {
  const db = await getSqlExecutor();
  const boss = new PgBoss({
    db,
    schema: "pgboss",
    // Only workers run the maintenance (expiry, archiving); the app process just sends.
    supervise,
    // Workers also run the cron scheduler (the sweep and the nightly repair).
    schedule: supervise,
    migrate: true,
  });
  boss.on("error", (error) => logger.error({ err: error }, "job queue error"));
  await boss.start();
  await whileDeadlocked(() => createQueues(boss));
  return boss;
}

/**
 * Processes that start together (`npm run start:all -- --workers 2`) create the same queues at
 * the same moment; PostgreSQL may then pick one of them as a deadlock victim, which ended that
 * worker at start. Creating a queue that exists is a no-op, so the victim simply tries again.
 */
async function whileDeadlocked(fn: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if ((error as { code?: string }).code !== "40P01" || attempt >= 5) throw error;
      logger.info({ attempt }, "job queue set-up met another process's: trying again");
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 400 * attempt));
    }
  }
}

async function createQueues(boss: PgBoss): Promise<void> {
  await boss.createQueue(BULK_QUEUE, { name: BULK_QUEUE, expireInSeconds: 4 * 3600, retryLimit: 3, retryDelay: 5 });
  // Retries of provisioning jobs follow the target's retry_interval_s, kept in their own table.
  await boss.createQueue(PROVISIONING_QUEUE, { name: PROVISIONING_QUEUE, expireInSeconds: 4 * 3600, retryLimit: 0 });
  await boss.createQueue(REMOVE_EVERYWHERE_QUEUE, { name: REMOVE_EVERYWHERE_QUEUE, expireInSeconds: 4 * 3600, retryLimit: 3, retryDelay: 5 });
  await boss.createQueue(SWEEP_SCHEDULE, { name: SWEEP_SCHEDULE, retryLimit: 0 });
  await boss.createQueue(REPAIR_SCHEDULE, { name: REPAIR_SCHEDULE, retryLimit: 0 });
  await boss.createQueue(SNAPSHOT_SCHEDULE, { name: SNAPSHOT_SCHEDULE, retryLimit: 0 });
}

/** This process's queue handle. `supervise` is for workers; a sender-only start is cheaper. */
export function getQueue(options: { supervise?: boolean } = {}): Promise<PgBoss> {
  if (!holder.__listkeeperBoss) {
    holder.__listkeeperBossSupervised = options.supervise ?? false;
    holder.__listkeeperBoss = createBoss(holder.__listkeeperBossSupervised);
    holder.__listkeeperBoss.catch(() => (holder.__listkeeperBoss = undefined));
  }
  return holder.__listkeeperBoss;
}

export async function stopQueue(): Promise<void> {
  const boss = holder.__listkeeperBoss;
  holder.__listkeeperBoss = undefined;
  if (boss) await (await boss).stop({ graceful: true, wait: true, timeout: 30_000 });
}

export function onLocalWake(wake: () => void): () => void {
  holder.__listkeeperWake ??= new Set();
  holder.__listkeeperWake.add(wake);
  return () => holder.__listkeeperWake?.delete(wake);
}

/** Queues a bulk job and wakes a worker so it starts now, not at the next poll. */
export async function enqueueBulkJob(jobId: number): Promise<void> {
  await enqueueJob(BULK_QUEUE, jobId);
}

/** Queues a job of any kind (lib/jobs/kinds.ts) and wakes a worker. */
export async function enqueueJob(queue: string, jobId: number): Promise<void> {
  const boss = await getQueue();
  await boss.send(queue, { jobId });
  await wakeWorkers();
}

export async function wakeWorkers(): Promise<void> {
  for (const wake of holder.__listkeeperWake ?? []) wake();
  if (env.DATABASE_URL) {
    const db = await getSqlExecutor();
    await db.executeSql(`select pg_notify('${WAKE_CHANNEL}', '')`);
  }
}
