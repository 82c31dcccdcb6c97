import type { Db } from "@/db/client";
import { getDb } from "@/db/client";
import { insertJob, targetMode, type NewProvisioningJob } from "./job-store";

type Executor = Parameters<typeof insertJob>[1] & Pick<Db, "select">;

/**
 * Queues provisioning jobs inside the caller's transaction (a registry change and its jobs commit
 * together). The target's mode decides (§7.6): `disabled` queues nothing; `manual` queues only
 * what was asked for explicitly (manual provision, reconcile, repair). Call `dispatch` with the
 * ids once the transaction has committed.
 */
export async function queueJobs(jobs: readonly NewProvisioningJob[], options: { explicit?: boolean; executor?: Executor } = {}): Promise<number[]> {
  const db = options.executor ?? (await getDb());
  const ids: number[] = [];
  for (const job of await jobsToQueue(jobs, { ...options, executor: db })) {
    const id = await insertJob(job, db);
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** The jobs `queueJobs` would insert (the target's mode decides), without inserting them. */
export async function jobsToQueue(jobs: readonly NewProvisioningJob[], options: { explicit?: boolean; executor?: Parameters<typeof targetMode>[1] } = {}): Promise<NewProvisioningJob[]> {
  const db = options.executor ?? (await getDb());
  const out: NewProvisioningJob[] = [];
  const modes = new Map<number, string | null>();
  for (const job of jobs) {
    if (!modes.has(job.targetId)) modes.set(job.targetId, await targetMode(job.targetId, db));
    const mode = modes.get(job.targetId);
    if (!mode || mode === "disabled") continue;
    if (mode === "manual" && !options.explicit) continue;
    out.push(job);
  }
  return out;
}

/** Tells the workers about committed jobs (they would find them at their next poll anyway). */
export async function dispatch(ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  const { getQueue, PROVISIONING_QUEUE, wakeWorkers } = await import("@/lib/jobs/queue");
  const boss = await getQueue();
  for (const jobId of ids) await boss.send(PROVISIONING_QUEUE, { jobId });
  await wakeWorkers();
}
