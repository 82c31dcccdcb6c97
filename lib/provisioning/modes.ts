/**
 * What a target's provisioning mode means (provisioning.md §7.6: COmanage's ProvisionerModeEnum,
 * with its semantics from §2.2 and the error classes of §8.7). One table, read by the queueing
 * (enqueue.ts), the runner (run-job.ts), the scheduler and the words on the server form and the
 * sync console, so that they cannot disagree.
 *
 * - Which changes queue a job by themselves: every change, only a person's enrollment (their
 *   first provisioning on the target), or none (explicit runs only).
 * - When a queued change runs: at once, or at the next queue run (the start of every minute, or
 *   "Run queued jobs now" on the sync console).
 * - Whether a transport failure (connection refused, timeout, 5xx) is retried after
 *   `retry_interval_s`, at most `max_retry` times. §8.7 names that rule "COmanage QueueOnError
 *   semantics", and §2.2 gives it to QueueOnError: in COmanage only a queued job is retried (a
 *   QueueOnError failure becomes one; Queue jobs are queued already). So automatic, manual and
 *   enrollment runs that fail stay failed, visible on the sync console with "Retry now", until the
 *   next change of their subject or the nightly drift repair runs them again.
 * Explicit runs (a manual provision, a reconcile, a repair, "Retry now") run at once in every mode
 * but disabled, which runs nothing.
 */

export const TARGET_MODES = ["automatic", "queue", "queue_on_error", "manual", "enrollment", "disabled"] as const;
export type TargetMode = (typeof TARGET_MODES)[number];

export interface ModeRules {
  /** Registry changes that queue a job by themselves. */
  changes: "all" | "enrollment" | "none";
  /** When a change's job runs. */
  runs: "at_once" | "queue_run";
  /** A transport failure waits `retry_interval_s` and runs again, at most `max_retry` times. */
  retriesTransportErrors: boolean;
  /** The validity sweep (every minute) and the nightly drift repair run on this target. */
  scheduled: boolean;
  /** Explicit runs (manual provision, reconcile, repair) are queued. */
  explicitRuns: boolean;
}

export const MODE_RULES: Record<TargetMode, ModeRules> = {
  automatic: { changes: "all", runs: "at_once", retriesTransportErrors: false, scheduled: true, explicitRuns: true },
  queue: { changes: "all", runs: "queue_run", retriesTransportErrors: true, scheduled: true, explicitRuns: true },
  queue_on_error: { changes: "all", runs: "at_once", retriesTransportErrors: true, scheduled: true, explicitRuns: true },
  manual: { changes: "none", runs: "at_once", retriesTransportErrors: false, scheduled: false, explicitRuns: true },
  enrollment: { changes: "enrollment", runs: "at_once", retriesTransportErrors: false, scheduled: false, explicitRuns: true },
  disabled: { changes: "none", runs: "at_once", retriesTransportErrors: false, scheduled: false, explicitRuns: false },
};

export function modeRules(mode: string | null | undefined): ModeRules {
  return MODE_RULES[(TARGET_MODES as readonly string[]).includes(mode ?? "") ? (mode as TargetMode) : "disabled"];
}

export const MODE_LABEL: Record<TargetMode, string> = {
  automatic: "Automatic",
  queue: "Queue",
  queue_on_error: "Queue on error",
  manual: "Manual",
  enrollment: "Enrollment only",
  disabled: "Disabled",
};

/** The mode in words, as the server form and the sync console show it. */
export function modeMeaning(mode: TargetMode, retry: { retryIntervalS: number; maxRetry: number }): string {
  const attempts = Math.max(1, retry.maxRetry);
  const retries =
    attempts === 1
      ? "If the Mailman server cannot be reached (no connection, a timeout, a 5xx answer), the run fails: one attempt at most is allowed, so it is not retried."
      : `If the Mailman server cannot be reached (no connection, a timeout, a 5xx answer), the run waits ${duration(retry.retryIntervalS)} and tries again from scratch, up to ${attempts} attempts in all.`;
  const noRetry = "If the Mailman server cannot be reached, the run fails and is not retried by itself: the sync console shows it with “Retry now”, and the next change of the same person or list, or the nightly drift repair, brings Mailman back in step.";
  switch (mode) {
    case "automatic":
      return `Every registry change is sent to Mailman at once. ${noRetry}`;
    case "queue":
      return `Registry changes are recorded as jobs and sent to Mailman together at the next queue run, at the start of every minute (“Run queued jobs now” on the sync console sends them sooner); several changes to one person or list in between make one run. ${retries}`;
    case "queue_on_error":
      return `Every registry change is sent to Mailman at once. ${retries}`;
    case "manual":
      return "Registry changes are not sent to Mailman by themselves: only what an administrator asks for runs (a manual provision of a person or list, a reconcile or a drift repair). No validity sweep or nightly repair.";
    case "enrollment":
      return "Only a person's enrollment is sent to Mailman by itself: changes to a person who has no Mailman user on this server yet (a new person, their first group memberships). Later changes, list changes and group changes run only when an administrator asks (manual provision, reconcile, repair). No validity sweep or nightly repair.";
    case "disabled":
      return "Nothing is sent to this Mailman server, not even runs an administrator asks for. Jobs already waiting are not run.";
  }
}

function duration(s: number): string {
  if (s % 3600 === 0) return `${s / 3600} ${s === 3600 ? "hour" : "hours"}`;
  if (s % 60 === 0) return `${s / 60} ${s === 60 ? "minute" : "minutes"}`;
  return `${s} ${s === 1 ? "second" : "seconds"}`;
}
