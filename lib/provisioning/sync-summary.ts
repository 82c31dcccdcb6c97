import type { JobItemOutcome } from "./job-store";

/**
 * Pure summaries behind the sync console (issue 10 item 3): counts by outcome, the progress of the
 * jobs that are live now, a target's health at a glance, and which conflict actions a target
 * allows. No database here: the loaders in sync-console.ts hand rows in.
 */

export type JobStatus = "queued" | "running" | "succeeded" | "partial" | "failed";

export const OUTCOMES: readonly JobItemOutcome[] = ["created", "subscribed", "unsubscribed", "updated", "unchanged", "warning", "conflict", "error"];

export const OUTCOME_LABEL: Record<JobItemOutcome, string> = {
  created: "Created",
  subscribed: "Subscribed",
  unsubscribed: "Unsubscribed",
  updated: "Updated",
  unchanged: "Unchanged",
  warning: "Warning",
  conflict: "Conflict",
  error: "Error",
};

/** Outcomes that changed something in Mailman: what a drift repair found out of line. */
export const CHANGE_OUTCOMES: ReadonlySet<string> = new Set(["created", "subscribed", "unsubscribed", "updated"]);

export const finishedStatus = (s: JobStatus) => s === "succeeded" || s === "partial" || s === "failed";

export type OutcomeCounts = Partial<Record<JobItemOutcome, number>>;

/** Items (or `{outcome, n}` rows of a `group by`) counted per outcome; unknown outcomes are dropped. */
export function countOutcomes(rows: readonly { outcome: string; n?: number }[]): OutcomeCounts {
  const out: OutcomeCounts = {};
  for (const r of rows) {
    if (!(OUTCOMES as readonly string[]).includes(r.outcome)) continue;
    const key = r.outcome as JobItemOutcome;
    out[key] = (out[key] ?? 0) + (r.n ?? 1);
  }
  return out;
}

export interface LiveJobRow {
  id: number;
  status: JobStatus;
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
  finishedAt: Date | null;
  outcomes: OutcomeCounts;
}

export interface BatchProgress {
  /** Jobs of the batch: the unfinished ones and those finished since the oldest of them was queued. */
  total: number;
  finished: number;
  running: number;
  queued: number;
  /** Queued again after a transport error, waiting for `nextAttemptAt`. */
  waitingRetry: number;
  byStatus: Partial<Record<JobStatus, number>>;
  outcomes: OutcomeCounts;
  percent: number;
  /** True while any job of the batch is queued or running: the page keeps polling. */
  live: boolean;
}

/**
 * The progress of the jobs that are live now. The batch starts at the oldest unfinished job and
 * takes in every job queued since, finished or not, so the bar moves from 0 to 100 % as a burst
 * of registry changes is worked off. Nothing unfinished: an empty, finished batch.
 */
export function batchProgress(jobs: readonly LiveJobRow[], now: Date = new Date()): BatchProgress {
  const unfinished = jobs.filter((j) => !finishedStatus(j.status));
  const empty: BatchProgress = { total: 0, finished: 0, running: 0, queued: 0, waitingRetry: 0, byStatus: {}, outcomes: {}, percent: 100, live: false };
  if (unfinished.length === 0) return empty;
  const start = Math.min(...unfinished.map((j) => j.createdAt.getTime()));
  const batch = jobs.filter((j) => j.createdAt.getTime() >= start);
  const byStatus: Partial<Record<JobStatus, number>> = {};
  const outcomes: OutcomeCounts = {};
  for (const j of batch) {
    byStatus[j.status] = (byStatus[j.status] ?? 0) + 1;
    for (const [k, v] of Object.entries(j.outcomes)) outcomes[k as JobItemOutcome] = (outcomes[k as JobItemOutcome] ?? 0) + (v ?? 0);
  }
  const finished = batch.filter((j) => finishedStatus(j.status)).length;
  const waitingRetry = batch.filter((j) => j.status === "queued" && j.attempts > 0 && j.nextAttemptAt.getTime() > now.getTime()).length;
  return {
    total: batch.length,
    finished,
    running: byStatus.running ?? 0,
    queued: byStatus.queued ?? 0,
    waitingRetry,
    byStatus,
    outcomes,
    percent: Math.floor((finished / batch.length) * 100),
    live: true,
  };
}

export interface HealthInput {
  mode: string;
  /** The latest full reconcile or drift repair that ended without error. */
  lastGoodReconcile: { jobId: number; action: string; finishedAt: Date } | null;
  /** The latest drift repair that ended, with the outcomes of its items. */
  lastRepair: { jobId: number; status: JobStatus; finishedAt: Date | null; outcomes: OutcomeCounts } | null;
  openConflicts: number;
  queued: number;
  running: number;
  waitingRetry: number;
  /** Jobs of a queue-mode target waiting for the next queue run. */
  waitingQueueRun?: number;
  failedSince: number;
}

export type HealthTone = "emerald" | "amber" | "red" | "slate";

export interface HealthSummary {
  tone: HealthTone;
  headline: string;
  lastGoodReconcile: HealthInput["lastGoodReconcile"];
  /** Changes the last repair had to make (0 = Mailman matched the registry), null = never ran. */
  drift: number | null;
  driftProblems: number;
  openConflicts: number;
  jobsWaiting: number;
  running: number;
  waitingRetry: number;
  waitingQueueRun: number;
  failedSince: number;
  notes: string[];
}

/** Target health at a glance: one tone and headline, and the figures behind them. */
export function healthSummary(h: HealthInput, now: Date = new Date()): HealthSummary {
  const drift = h.lastRepair ? [...CHANGE_OUTCOMES].reduce((n, o) => n + (h.lastRepair!.outcomes[o as JobItemOutcome] ?? 0), 0) : null;
  const driftProblems = h.lastRepair ? (h.lastRepair.outcomes.error ?? 0) + (h.lastRepair.outcomes.conflict ?? 0) : 0;
  const notes: string[] = [];
  if (h.mode === "disabled") notes.push("Provisioning is disabled on this server: nothing is queued.");
  else if (h.mode === "manual") notes.push("Manual mode: only explicit runs are queued.");
  else if (h.mode === "enrollment") notes.push("Enrollment mode: only new people's first provisioning and explicit runs are queued.");
  if (!h.lastGoodReconcile) notes.push("No full reconcile or drift repair has ended without errors yet.");
  else if (now.getTime() - h.lastGoodReconcile.finishedAt.getTime() > 36 * 3600_000) notes.push("The last clean reconcile is more than 36 hours old: is the worker's nightly repair running?");
  if (drift) notes.push(`The last drift repair found ${drift} ${drift === 1 ? "change" : "changes"} made outside Listkeeper and put ${drift === 1 ? "it" : "them"} back in line.`);
  let tone: HealthTone = "emerald";
  let headline = "In step";
  if (h.failedSince > 0 || driftProblems > 0) {
    tone = "red";
    headline = h.failedSince > 0 ? `${h.failedSince} failed ${h.failedSince === 1 ? "run" : "runs"} in the last 24 hours` : "The last drift repair reported errors";
  } else if (h.openConflicts > 0 || h.waitingRetry > 0) {
    tone = "amber";
    headline = h.openConflicts > 0 ? `${h.openConflicts} open ${h.openConflicts === 1 ? "conflict" : "conflicts"}` : `${h.waitingRetry} ${h.waitingRetry === 1 ? "job waits" : "jobs wait"} for a retry`;
  } else if (h.running === 0 && h.queued > 0 && h.queued === (h.waitingQueueRun ?? 0)) {
    tone = "slate";
    headline = `${h.queued} ${h.queued === 1 ? "job waits" : "jobs wait"} for the next queue run`;
  } else if (h.queued + h.running > 0) {
    tone = "slate";
    headline = "Syncing";
  } else if (h.mode === "disabled") {
    tone = "slate";
    headline = "Provisioning disabled";
  }
  return {
    tone,
    headline,
    lastGoodReconcile: h.lastGoodReconcile,
    drift,
    driftProblems,
    openConflicts: h.openConflicts,
    jobsWaiting: h.queued,
    running: h.running,
    waitingRetry: h.waitingRetry,
    waitingQueueRun: h.waitingQueueRun ?? 0,
    failedSince: h.failedSince,
    notes,
  };
}

export type ConflictKind = "preferred_owned_by_person" | "preferred_owned_by_unmapped" | "secondary_owned" | "shared_address";
export type ConflictAction = "adopt" | "absorb" | "ignore";

/**
 * The resolutions a conflict may get on a target (provisioning.md §8.5). `ignore` closes it
 * everywhere. `adopt`/`absorb` provision the person again with that conflict mode, so they are
 * offered only where a run can take the other core user: never a user another person holds
 * (never steal), never on a disabled target (nothing would be queued). A secondary address is
 * only ever absorbed (the user is merged); a preferred address may be adopted or absorbed.
 */
export function allowedConflictActions(kind: ConflictKind, targetMode: string): ConflictAction[] {
  if (targetMode === "disabled") return ["ignore"];
  if (kind === "preferred_owned_by_unmapped") return ["adopt", "absorb", "ignore"];
  if (kind === "secondary_owned") return ["absorb", "ignore"];
  return ["ignore"];
}

export const CONFLICT_KIND_LABEL: Record<ConflictKind, string> = {
  preferred_owned_by_person: "Preferred address held by another person's Mailman user",
  preferred_owned_by_unmapped: "Preferred address held by a Mailman user Listkeeper did not create",
  secondary_owned: "Secondary address held by another Mailman user",
  shared_address: "Address shared with another person",
};

export const CONFLICT_ACTION_HELP: Record<ConflictAction, string> = {
  adopt: "Take over the other Mailman user as this person's (only when it holds nothing but this person's addresses).",
  absorb: "Run in absorb mode: a preferred address is taken over as with Adopt; for a secondary address the other Mailman user is merged into this person's (its addresses and memberships move over, it is deleted).",
  ignore: "Close the conflict without touching Mailman.",
};
