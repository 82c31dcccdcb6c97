import { and, eq, isNotNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { getDb } from "@/db/client";
import { coreUsers } from "@/db/schema";
import { insertJob, targetMode, type NewProvisioningJob } from "./job-store";
import { modeRules } from "./modes";

type Executor = Parameters<typeof insertJob>[1] & Pick<Db, "select">;

/**
 * Queues provisioning jobs inside the caller's transaction (a registry change and its jobs commit
 * together). The target's mode decides (modes.ts): `disabled` queues nothing; `manual` only what
 * was asked for explicitly (manual provision, reconcile, repair); `enrollment` also a person's
 * enrollment; `queue` holds a change's job until the next queue run. Call `dispatch` with the ids
 * once the transaction has committed.
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
export async function jobsToQueue(jobs: readonly NewProvisioningJob[], options: { explicit?: boolean; executor?: Pick<Db, "select"> } = {}): Promise<NewProvisioningJob[]> {
  const db = options.executor ?? (await getDb());
  const out: NewProvisioningJob[] = [];
  const modes = new Map<number, string | null>();
  for (const job of jobs) {
    if (!modes.has(job.targetId)) modes.set(job.targetId, await targetMode(job.targetId, db));
    const rules = modeRules(modes.get(job.targetId));
    if (options.explicit) {
      // Asked for by an administrator or the scheduler: at once, in every mode that runs anything.
      if (rules.explicitRuns) out.push(job);
      continue;
    }
    if (rules.changes === "none") continue;
    if (rules.changes === "enrollment" && !(await isEnrollment(job, db))) continue;
    out.push(rules.runs === "queue_run" ? { ...job, runAt: "queue_run" } : job);
  }
  return out;
}

/**
 * A person's enrollment on a target: a change to a person who has no Mailman user there yet
 * (COmanage's Enrollment mode provisions at the end of an enrollment flow, which brings the new
 * person's group memberships with it; here those arrive as the person's first changes).
 */
async function isEnrollment(job: NewProvisioningJob, db: Pick<Db, "select">): Promise<boolean> {
  if (job.subjectType !== "person" || job.subjectId === null || job.action === "delete") return false;
  const [mapped] = await db
    .select({ id: coreUsers.id })
    .from(coreUsers)
    .where(and(eq(coreUsers.targetId, job.targetId), eq(coreUsers.personId, job.subjectId), isNotNull(coreUsers.mailmanUserId)))
    .limit(1);
  return !mapped;
}

/**
 * Tells the workers about committed jobs (they would find them at their next poll anyway). Jobs
 * that wait for their queue run or a retry are left to the worker, which takes them when due.
 */
export async function dispatch(ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  const { dueNow } = await import("./job-store");
  const due = await dueNow(ids);
  if (due.length === 0) return;
  const { getQueue, PROVISIONING_QUEUE, wakeWorkers } = await import("@/lib/jobs/queue");
  const boss = await getQueue();
  for (const jobId of due) await boss.send(PROVISIONING_QUEUE, { jobId });
  await wakeWorkers();
}
