import { and, eq, gt, inArray, isNotNull, lte, or } from "drizzle-orm";
import { isDatabaseUnavailable } from "@/db/unavailable";
import { getDb } from "@/db/client";
import { coreUsers, groupMemberships, provisioningSweeps } from "@/db/schema";
import { logger } from "@/lib/logger";
import { MailmanError, MailmanTransportError } from "@/lib/mailman/errors";
import { clientForTarget } from "@/lib/targets/targets";
import { boundGroups, buildWorld, loadLists, loadPeople, loadTarget, peopleOfGroups, peopleWithPreferences, touchListSynced, type TargetRow } from "./facts";
import { Run, TransportAbort, type PlanStep } from "./executor";
import { claimJob, finishJob, insertEvents, insertItems, renewLease, scheduleRetry, type NewProvisioningJob, type ProvisioningJob } from "./job-store";
import { modeRules, TARGET_MODES } from "./modes";

/**
 * Runs one provisioning job: the subject is recomputed from scratch on every attempt (§8.7), so
 * a retry never replays an old call list. Subjects map to the primitives as the trigger matrix
 * of §8.3 says.
 */

export interface RunJobOptions {
  workerId: string;
  leaseMs?: number;
  now?: Date;
}

export type JobRunResult = "busy" | "succeeded" | "partial" | "failed" | "retry" | "interrupted";

async function execute(run: Run, job: Pick<ProvisioningJob, "subjectType" | "subjectId" | "action" | "options" | "targetId">): Promise<void> {
  const options = job.options as { force?: boolean; onlyListId?: number; since?: string };
  switch (job.subjectType) {
    case "person":
      if (job.action === "delete") return run.deprovisionPerson(job.subjectId!);
      return personSync(run, job.subjectId!, { force: job.action === "provision" || options.force === true, onlyListId: options.onlyListId });
    case "list":
      return listJob(run, job.subjectId!, job.action);
    case "group": {
      const { lists } = await loadLists(run.target.id);
      for (const list of lists.values()) {
        if (boundGroups(list).includes(job.subjectId!)) await listJob(run, list.id, "sync");
      }
      return;
    }
    case "target":
      if (job.action === "save") return run.ensureDomain();
      if (job.action === "reconcile") {
        const rows = await (await getDb())
          .select({ personId: coreUsers.personId })
          .from(coreUsers)
          .where(and(eq(coreUsers.targetId, run.target.id), isNotNull(coreUsers.personId), isNotNull(coreUsers.mailmanUserId)));
        for (const r of rows) await personSync(run, r.personId!, { force: true });
      }
      for (const id of (await loadLists(run.target.id)).mappings.keys()) await listJob(run, id, "sync");
      return;
    case "sweep":
      return sweep(run, options.since ? new Date(options.since) : null);
  }
}

async function personSync(run: Run, personId: number, options: { force?: boolean; onlyListId?: number }) {
  const people = await loadPeople([personId]);
  const person = people.get(personId);
  if (!person) return run.deprovisionPerson(personId);
  const { lists, mappings } = await loadLists(run.target.id);
  await run.reconcilePerson(person, lists, mappings, options);
}

async function listJob(run: Run, emailListId: number, action: string) {
  const all = await loadLists(run.target.id, { includeDeleted: true });
  const row = all.rows.get(emailListId);
  const mapping = all.mappings.get(emailListId);
  if (!row || row.deletedAt || action === "delete") {
    if (mapping) await run.deleteList(emailListId, mapping);
    return;
  }
  if (action === "provision") await run.ensureDomain();
  const ensured = await run.ensureList(row, mapping);
  if (action === "describe") return;
  const fact = { ...all.lists.get(emailListId)!, provisioned: true };
  const people = async () => loadPeople([...(await peopleOfGroups(boundGroups(fact))), ...(fact.membershipMode === "self_service" ? await peopleWithPreferences(fact.id) : [])]);
  await run.reconcileList(fact, ensured, people);
  if (ensured && !run.dryRun) await touchListSynced(ensured.id, run.items.some((i) => i.outcome === "error" || i.outcome === "conflict") ? "partial" : "succeeded");
}

/** Memberships whose window opened or closed in (since, now]: P5 for each of their people. */
async function sweep(run: Run, since: Date | null) {
  const db = await getDb();
  const now = run.world.now;
  const [state] = await db.select().from(provisioningSweeps).where(eq(provisioningSweeps.targetId, run.target.id));
  const from = since ?? state?.lastSweepAt ?? new Date(now.getTime() - 60_000);
  const rows = await db
    .selectDistinct({ personId: groupMemberships.personId })
    .from(groupMemberships)
    .where(
      or(
        and(gt(groupMemberships.validFrom, from), lte(groupMemberships.validFrom, now)),
        and(gt(groupMemberships.validThrough, from), lte(groupMemberships.validThrough, now)),
      ),
    );
  for (const r of rows) await personSync(run, r.personId, {});
  if (!run.dryRun) {
    await db
      .insert(provisioningSweeps)
      .values({ targetId: run.target.id, lastSweepAt: now })
      .onConflictDoUpdate({ target: provisioningSweeps.targetId, set: { lastSweepAt: now } });
  }
}

async function newRun(target: TargetRow, jobId: number | null, dryRun: boolean, now?: Date, options: Record<string, unknown> = {}): Promise<Run> {
  const { client } = await clientForTarget(target);
  const { lists } = await loadLists(target.id);
  // A conflict resolved as adopt/absorb runs with that conflict mode, this run only.
  const mode = options.conflictMode;
  if (mode === "adopt" || mode === "absorb") target = { ...target, addressConflictMode: mode };
  const world = await buildWorld(target, { listIds: [...lists.keys()], now });
  return new Run(target, client, world, { jobId, dryRun });
}

/** Dry run: the plan from the same diff the executor runs; nothing changes anywhere. */
export async function planJob(job: NewProvisioningJob): Promise<PlanStep[]> {
  const target = await loadTarget(job.targetId);
  const run = await newRun(target, null, true, undefined, job.options);
  await execute(run, { ...job, options: job.options ?? {} });
  return run.plan;
}

function describe(error: unknown): string {
  const cause = error instanceof TransportAbort ? (error.cause ?? error) : error;
  if (cause instanceof MailmanError || cause instanceof MailmanTransportError) return cause.userMessage;
  return cause instanceof Error ? cause.message : String(cause);
}

export async function runProvisioningJob(jobId: number, options: RunJobOptions): Promise<JobRunResult> {
  const leaseMs = options.leaseMs ?? 60_000;
  const job = await claimJob(jobId, options.workerId, leaseMs);
  if (!job) return "busy";
  const log = logger.child({ provisioningJob: jobId, worker: options.workerId });
  const heartbeat = setInterval(() => void renewLease(jobId, options.workerId, leaseMs).catch(() => {}), Math.max(500, leaseMs / 3));
  let run: Run | null = null;
  try {
    const target = await loadTarget(job.targetId);
    if (!modeRules(target.mode).explicitRuns) {
      // Queued before the target was disabled: a disabled target sends nothing to Mailman.
      await finishJob(jobId, options.workerId, "failed", "Not run: provisioning is disabled on this server.");
      return "failed";
    }
    run = await newRun(target, jobId, false, options.now, job.options);
    await execute(run, job);
    await insertEvents(await run.flushEvents());
    await insertItems(jobId, job.attempts, run.items);
    const bad = run.items.filter((i) => i.outcome === "error" || i.outcome === "conflict");
    const good = run.items.filter((i) => i.outcome !== "error" && i.outcome !== "conflict" && i.outcome !== "warning");
    const status = bad.length === 0 ? "succeeded" : good.length > 0 ? "partial" : "failed";
    await finishJob(jobId, options.workerId, status, bad[0]?.message ?? null);
    return status;
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      // Left running: its lease expires and the worker's recovery runs it again from scratch
      // (every step is idempotent), which a failed status would prevent.
      log.warn({ err: error }, "provisioning job interrupted: the database did not answer; it runs again when its lease expires");
      return "interrupted";
    }
    const message = describe(error);
    if (run) {
      await insertEvents(await run.flushEvents()).catch(() => {});
      await insertItems(jobId, job.attempts, run.items).catch(() => {});
    }
    const target = await loadTarget(job.targetId).catch(() => null);
    const transport = error instanceof TransportAbort || error instanceof MailmanTransportError;
    // Only queue and queue_on_error targets retry (modes.ts); elsewhere a failure stays failed.
    if (transport && target && modeRules(target.mode).retriesTransportErrors && job.attempts < target.maxRetry) {
      await scheduleRetry(jobId, options.workerId, target.retryIntervalS, message);
      log.warn({ err: error, attempts: job.attempts }, "provisioning job will be retried");
      return "retry";
    }
    log.error({ err: error }, "provisioning job failed");
    await finishJob(jobId, options.workerId, "failed", message);
    return "failed";
  } finally {
    clearInterval(heartbeat);
  }
}

/** Sweep and repair jobs for every target whose mode has them (the scheduler's work, modes.ts). */
export async function scheduledJobs(kind: "sweep" | "repair"): Promise<NewProvisioningJob[]> {
  const db = await getDb();
  const { provisionerTargets } = await import("@/db/schema");
  const targets = await db
    .select({ id: provisionerTargets.id })
    .from(provisionerTargets)
    .where(inArray(provisionerTargets.mode, TARGET_MODES.filter((m) => modeRules(m).scheduled)));
  return targets.map((t) =>
    kind === "sweep"
      ? { targetId: t.id, subjectType: "sweep" as const, subjectId: null, action: "sweep" }
      : { targetId: t.id, subjectType: "target" as const, subjectId: t.id, action: "repair" },
  );
}


