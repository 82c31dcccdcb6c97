import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { runBulkJob, type RunOptions } from "@/lib/members/bulk-run";
import { orphanedJobIds, unfinishedJobCount } from "@/lib/members/bulk-store";
import { BULK_QUEUE, getQueue, onLocalWake, stopQueue, WAKE_CHANNEL } from "./queue";

/**
 * The job worker: takes bulk jobs from the queue and runs them (lib/members/bulk-run.ts). It also
 * resumes jobs whose worker died: a job still marked running whose lease has expired is sent to
 * the queue again, and the next run carries on from the items already recorded.
 */

export interface WorkerOptions {
  workerId?: string;
  /** Jobs run at the same time by this worker (each keeps its own bounded parallelism). */
  parallelJobs?: number;
  leaseMs?: number;
  pollingIntervalSeconds?: number;
  /** How often to look for abandoned jobs. */
  recoveryIntervalMs?: number;
  onBatch?: RunOptions["onBatch"];
}

export interface WorkerHandle {
  workerId: string;
  /** Finishes the current batches, releases their leases and stops. */
  stop(): Promise<void>;
  /** Resolves once no bulk job is queued or running (for scripts and tests). */
  idle(pollMs?: number): Promise<void>;
}

export async function startWorker(options: WorkerOptions = {}): Promise<WorkerHandle> {
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 10_000;
  const boss = await getQueue({ supervise: true });
  const abort = new AbortController();
  const log = logger.child({ worker: workerId });

  const workIds: string[] = [];
  for (let i = 0; i < (options.parallelJobs ?? 2); i++) {
    workIds.push(
      await boss.work<{ jobId: number }>(BULK_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 }, async ([job]) => {
        if (!job || abort.signal.aborted) return;
        const result = await runBulkJob(job.data.jobId, { workerId, leaseMs, signal: abort.signal, onBatch: options.onBatch });
        log.debug({ bulkJob: job.data.jobId, result }, "bulk job run ended");
      }),
    );
  }
  const wake = () => workIds.forEach((id) => boss.notifyWorker(id));
  const stopLocalWake = onLocalWake(wake);

  let listener: { end(): Promise<void> } | undefined;
  if (env.DATABASE_URL) {
    const { Client } = await import("pg");
    const client = new Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    client.on("notification", wake);
    client.on("error", (error) => log.warn({ err: error }, "job wake-up connection failed; polling only"));
    await client.query(`listen ${WAKE_CHANNEL}`);
    listener = client;
  }

  const recentlyResent = new Map<number, number>();
  const recover = async () => {
    const now = Date.now();
    for (const jobId of await orphanedJobIds(Math.max(5_000, leaseMs / 2))) {
      if ((recentlyResent.get(jobId) ?? 0) > now - leaseMs * 2) continue;
      recentlyResent.set(jobId, now);
      log.info({ bulkJob: jobId }, "resuming an abandoned bulk job");
      await boss.send(BULK_QUEUE, { jobId });
      wake();
    }
  };
  await recover().catch((error) => log.warn({ err: error }, "recovery check failed"));
  const recovery = setInterval(() => {
    recover().catch((error) => log.warn({ err: error }, "recovery check failed"));
  }, options.recoveryIntervalMs ?? 2_000);
  log.info("job worker started");

  return {
    workerId,
    async stop() {
      clearInterval(recovery);
      stopLocalWake();
      abort.abort();
      for (const id of workIds) await boss.offWork({ id }).catch(() => {});
      await stopQueue();
      await listener?.end().catch(() => {});
      log.info("job worker stopped");
    },
    async idle(pollMs = 250) {
      while ((await unfinishedJobCount()) > 0) await new Promise((r) => setTimeout(r, pollMs));
    },
  };
}
