import { eq, inArray } from "drizzle-orm";
import { getDb, withDbScope, type Db } from "@/db/client";
import { emailLists, groups, provisionedLists, provisionerTargets } from "@/db/schema";
import type { NewProvisioningJob } from "@/lib/provisioning/job-store";
import { loadPeople, loadPreferences, loadTarget, policyOf, toListFact } from "@/lib/provisioning/facts";
import type { PlanStep } from "@/lib/provisioning/executor";
import { jobsToQueue } from "@/lib/provisioning/enqueue";
import { planJob } from "@/lib/provisioning/run-job";
import type { TargetPolicy } from "@/lib/provisioning/desired";
import { summarizePlan, type PlanContext, type PlanSummary } from "./plan-summary";
import { previewJobs } from "./registry";

/**
 * "Plan before acting" (issue 10 item 2): the dry-run plan of the jobs a change would queue,
 * computed by the executor's own planning (`planJob`, as `?dryRun=true` of the API).
 *
 * For a change not made yet the plan must be the one of the state *after* the change. We make
 * the change for real inside a database transaction, with `getDb()` scoped to that transaction
 * (`withDbScope`), so that the registry function, the job selection (the target's mode) and every
 * read of the executor's planning see the changed rows; then the transaction is rolled back. So
 * there is no second, hand-written model of "what would change" that could drift from the
 * executor. The executor's dry run writes nothing (it only reads the core), and registry changes
 * in preview mode queue and dispatch nothing (registry.ts `previewJobs`).
 *
 * Cost: the transaction stays open while the core is read. On PGlite (one connection) other
 * requests wait for it; on PostgreSQL the rows it changed stay locked until the rollback.
 */

class RolledBack extends Error {}

export interface PlanPreview<T = unknown> {
  value: T | null;
  jobs: NewProvisioningJob[];
  steps: PlanStep[];
  summary: PlanSummary;
}

export async function previewChange<T>(mutation: () => Promise<T>): Promise<PlanPreview<T>> {
  return inRolledBackTransaction(async () => {
    const { value, jobs } = await previewJobs(mutation);
    return planOf(jobs, value);
  });
}

/** The plan of jobs that are not a registry change (manual provision, full reconcile). */
export async function previewJobsPlan(jobs: readonly NewProvisioningJob[]): Promise<PlanPreview<null>> {
  return inRolledBackTransaction(() => planOf([...jobs], null));
}

/**
 * The plan of changing a target's policies: the new values written in the rolled-back
 * transaction, then the reconcile the save would queue, planned as it would run.
 */
export async function previewTargetPolicy(targetId: number, change: Partial<Pick<typeof provisionerTargets.$inferInsert, "prefEmailType" | "unmanagedEmailMode" | "addressConflictMode">>): Promise<PlanPreview<null>> {
  return inRolledBackTransaction(async () => {
    const db = await getDb();
    await db.update(provisionerTargets).set(change).where(eq(provisionerTargets.id, targetId));
    // The save queues its reconcile as any change does: not in manual or disabled mode.
    const jobs = await jobsToQueue([{ targetId, subjectType: "target", subjectId: targetId, action: "reconcile" }]);
    return planOf(jobs, null);
  });
}

async function inRolledBackTransaction<R>(fn: () => Promise<R>): Promise<R> {
  const db = await getDb();
  let result: { value: R } | null = null;
  try {
    await db.transaction(async (tx) => {
      result = { value: await withDbScope(tx as unknown as Db, fn) };
      throw new RolledBack("preview only");
    });
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  }
  return (result as { value: R } | null)!.value;
}

async function planOf<T>(jobs: NewProvisioningJob[], value: T): Promise<PlanPreview<T>> {
  const steps: PlanStep[] = [];
  for (const job of jobs) steps.push(...(await planJob(job)));
  return { value, jobs, steps, summary: summarizePlan(steps, await planContext(steps, jobs)) };
}

/** The registry facts the plan's reasons are worded from, read in the same transaction. */
async function planContext(steps: readonly PlanStep[], jobs: readonly NewProvisioningJob[]): Promise<PlanContext> {
  const db = await getDb();
  const listIds = [...new Set(steps.map((s) => s.emailListId).filter((x): x is number => typeof x === "number"))];
  const personIds = [...new Set(steps.map((s) => s.personId).filter((x): x is number => typeof x === "number"))];
  const listRows = listIds.length > 0 ? await db.select().from(emailLists).where(inArray(emailLists.id, listIds)) : [];
  const maps = listIds.length > 0 ? await db.select().from(provisionedLists).where(inArray(provisionedLists.emailListId, listIds)) : [];
  const groupRows = await db.select({ id: groups.id, name: groups.name, status: groups.status, deletedAt: groups.deletedAt }).from(groups);
  const policies = new Map<number, TargetPolicy>();
  for (const targetId of new Set([...jobs.map((j) => j.targetId), ...listRows.map((l) => l.targetId)])) {
    policies.set(targetId, policyOf(await loadTarget(targetId)));
  }
  return {
    lists: new Map(
      listRows.map((l) => {
        const m = maps.find((x) => x.emailListId === l.id);
        return [l.id, { ...toListFact(l, Boolean(m)), mailmanListId: m?.mailmanListId ?? null, targetId: l.targetId }];
      }),
    ),
    groups: new Map(groupRows.map((g) => [g.id, { id: g.id, name: g.name, status: g.status, deleted: g.deletedAt !== null }])),
    people: await loadPeople(personIds),
    policies,
    preferences: await loadPreferences(listIds, personIds),
    now: new Date(),
  };
}
