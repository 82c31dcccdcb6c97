import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { env } from "@/lib/env";
import { auditDoor, withAuditScope } from "@/lib/audit";
import { logger } from "@/lib/logger";
import type { RunOptions } from "@/lib/members/bulk-run";
import { startHeartbeat } from "./heartbeat";
import { JOB_KINDS } from "./kinds";
import { getQueue, onLocalWake, PROVISIONING_QUEUE, REPAIR_SCHEDULE, SNAPSHOT_SCHEDULE, stopQueue, SWEEP_SCHEDULE, WAKE_CHANNEL, workerPlacement } from "./queue";

/**
 * The job worker: takes jobs of every kind (lib/jobs/kinds.ts) from the queue and runs them. It
 * also resumes jobs nobody works on: a job whose lease expired (its worker died), a retry whose
 * time has come, or a job whose message was lost, is sent to the queue again, and the next run
 * carries on from what is recorded. Workers also run the cron schedules: the validity sweep
 * every minute and the drift repair nightly (provisioning.md §8.3).
 */

export interface WorkerOptions {
  workerId?: string;
  /** Jobs of each kind run at the same time by this worker (each keeps its own bounded parallelism). */
  parallelJobs?: number;
  leaseMs?: number;
  pollingIntervalSeconds?: number;
  /** How often to look for abandoned or due jobs. */
  recoveryIntervalMs?: number;
  onBatch?: RunOptions["onBatch"];
  /** Cron of the drift repair (default 03:00 every night). */
  repairCron?: string;
}

export interface WorkerHandle {
  workerId: string;
  /** Finishes the current batches, releases their leases and stops. */
  stop(): Promise<void>;
  /** Resolves once no job is queued or running (for scripts and tests). */
  idle(pollMs?: number): Promise<void>;
}

export async function startWorker(options: WorkerOptions = {}): Promise<WorkerHandle> {
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 10_000;
  const boss = await getQueue({ supervise: true });
  const abort = new AbortController();
  const log = logger.child({ worker: workerId });

  const workIds: string[] = [];
  for (const kind of JOB_KINDS) {
    for (let i = 0; i < (options.parallelJobs ?? 2); i++) {
      workIds.push(
        await boss.work<{ jobId: number }>(kind.queue, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 }, async ([job]) => {
          if (!job || abort.signal.aborted) return;
          // Each run is one audit scope of the scheduler: the rows its changes describe name the job kind.
          const result = await withAuditScope(auditDoor.scheduler(kind.name), () => kind.run(job.data.jobId, { workerId, leaseMs, signal: abort.signal, onBatch: options.onBatch }));
          log.debug({ kind: kind.name, jobId: job.data.jobId, result }, "job run ended");
        }),
      );
    }
  }
  // The schedules only create jobs; the jobs themselves run like any other.
  const { queueJobs, dispatch } = await import("@/lib/provisioning/enqueue");
  const { scheduledJobs } = await import("@/lib/provisioning/run-job");
  for (const [queue, kind] of [
    [SWEEP_SCHEDULE, "sweep"],
    [REPAIR_SCHEDULE, "repair"],
  ] as const) {
    workIds.push(
      await boss.work(queue, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 }, async () => {
        await dispatch(await queueJobs(await scheduledJobs(kind), { explicit: true }));
      }),
    );
  }
  // The list index's copy of every server, kept fresh here so that a view never waits for it.
  const { refreshAllSnapshots } = await import("@/lib/lists/list-snapshot");
  workIds.push(
    await boss.work(SNAPSHOT_SCHEDULE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 }, async () => {
      const result = await refreshAllSnapshots();
      if (result.failed > 0) log.warn(result, "list snapshots: some servers could not be read");
    }),
  );
  await boss.schedule(SWEEP_SCHEDULE, "* * * * *");
  await boss.schedule(REPAIR_SCHEDULE, options.repairCron ?? "0 3 * * *");
  await boss.schedule(SNAPSHOT_SCHEDULE, "* * * * *");

  const wake = () => workIds.forEach((id) => boss.notifyWorker(id));
  const stopLocalWake = onLocalWake(wake);

  // The wake-up connection (LISTEN). When the database drops it (a restart), the worker polls
  // meanwhile and listens again on a new connection, every few seconds until one holds.
  let listener: { end(): Promise<void> } | undefined;
  let listening = true;
  let relisten: NodeJS.Timeout | undefined;
  if (env.DATABASE_URL) {
    const { Client } = await import("pg");
    const listen = (): void => {
      const client = new Client({ connectionString: env.DATABASE_URL });
      let lost = false;
      const retry = (error?: Error) => {
        if (lost || !listening) return;
        lost = true;
        log.warn({ err: error ? { message: error.message } : undefined }, "job wake-up connection lost; polling until it is back");
        client.end().catch(() => {});
        relisten = setTimeout(listen, 2_000);
      };
      client.on("error", retry);
      client.on("end", () => retry());
      client.on("notification", wake);
      listener = client;
      client
        .connect()
        .then(() => client.query(`listen ${WAKE_CHANNEL}`))
        .catch(retry);
    };
    listen();
  }

  const recentlyResent = new Map<string, number>();
  const recover = async () => {
    const now = Date.now();
    for (const kind of JOB_KINDS) {
      for (const jobId of await kind.due(Math.max(5_000, leaseMs / 2))) {
        const key = `${kind.queue}:${jobId}`;
        if ((recentlyResent.get(key) ?? 0) > now - leaseMs * 2) continue;
        recentlyResent.set(key, now);
        if (kind.queue !== PROVISIONING_QUEUE) log.info({ kind: kind.name, jobId }, "resuming an abandoned job");
        await boss.send(kind.queue, { jobId });
        wake();
      }
    }
  };
  await recover().catch((error) => log.warn({ err: error }, "recovery check failed"));
  const recovery = setInterval(() => {
    recover().catch((error) => log.warn({ err: error }, "recovery check failed"));
  }, options.recoveryIntervalMs ?? 2_000);
  const heartbeat = await startHeartbeat(workerId, workerPlacement());
  log.info("job worker started");

  return {
    workerId,
    async stop() {
      clearInterval(recovery);
      stopLocalWake();
      await heartbeat.stop();
      abort.abort();
      for (const id of workIds) await boss.offWork({ id }).catch(() => {});
      await stopQueue();
      listening = false;
      clearTimeout(relisten);
      await listener?.end().catch(() => {});
      log.info("job worker stopped");
    },
    async idle(pollMs = 250) {
      const busy = async () => (await Promise.all(JOB_KINDS.map((k) => k.unfinished()))).reduce((a, b) => a + b, 0);
      while ((await busy()) > 0) await new Promise((r) => setTimeout(r, pollMs));
    },
  };
}
