import { runBulkJob, type RunOptions } from "@/lib/members/bulk-run";
import { orphanedJobIds, unfinishedJobCount } from "@/lib/members/bulk-store";
import { dueJobIds, unfinishedJobCount as provisioningUnfinished } from "@/lib/provisioning/job-store";
import { runProvisioningJob } from "@/lib/provisioning/run-job";
import { orphanedJobIds as orphanedRemovals, unfinishedJobCount as removalsUnfinished } from "@/lib/people/remove-everywhere-store";
import { runRemoveEverywhereJob } from "@/lib/people/remove-everywhere-run";
import { BULK_QUEUE, PROVISIONING_QUEUE, REMOVE_EVERYWHERE_QUEUE } from "./queue";

/**
 * The job kinds the worker runs: one handler per kind on one engine (queue, leases, recovery of
 * abandoned jobs, idle detection). A kind keeps its state in its own tables; the queue message
 * is only `{ jobId }`, so a message delivered twice does no harm.
 */
export interface JobContext {
  workerId: string;
  leaseMs: number;
  signal: AbortSignal;
  onBatch?: RunOptions["onBatch"];
}

export interface JobKind {
  name: string;
  queue: string;
  run(jobId: number, ctx: JobContext): Promise<unknown>;
  /** Jobs nobody works on that should run now (expired leases, due retries, lost messages). */
  due(graceMs: number): Promise<number[]>;
  /** Jobs still to run now or soon (`idle()` waits for zero). */
  unfinished(): Promise<number>;
}

export const JOB_KINDS: readonly JobKind[] = [
  {
    name: "bulk member job",
    queue: BULK_QUEUE,
    run: (jobId, ctx) => runBulkJob(jobId, { workerId: ctx.workerId, leaseMs: ctx.leaseMs, signal: ctx.signal, onBatch: ctx.onBatch }),
    due: (graceMs) => orphanedJobIds(graceMs),
    unfinished: () => unfinishedJobCount(),
  },
  {
    name: "provisioning job",
    queue: PROVISIONING_QUEUE,
    run: (jobId, ctx) => runProvisioningJob(jobId, { workerId: ctx.workerId, leaseMs: ctx.leaseMs }),
    due: () => dueJobIds(),
    unfinished: () => provisioningUnfinished({ dueWithinSeconds: 5 }),
  },
  {
    name: "remove-everywhere job",
    queue: REMOVE_EVERYWHERE_QUEUE,
    run: (jobId, ctx) => runRemoveEverywhereJob(jobId, { workerId: ctx.workerId, leaseMs: ctx.leaseMs, signal: ctx.signal }),
    due: (graceMs) => orphanedRemovals(graceMs),
    unfinished: () => removalsUnfinished(),
  },
];
