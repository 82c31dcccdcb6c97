import { Badge } from "@/components/ui/card";
import { OUTCOME_LABEL, OUTCOMES, type JobStatus, type OutcomeCounts } from "@/lib/provisioning/sync-summary";

const STATUS_TONE: Record<JobStatus, "slate" | "indigo" | "emerald" | "amber" | "red"> = {
  queued: "slate",
  running: "indigo",
  succeeded: "emerald",
  partial: "amber",
  failed: "red",
};

export const STATUS_LABEL: Record<JobStatus, string> = {
  queued: "Queued",
  running: "Running",
  succeeded: "Succeeded",
  partial: "Partial",
  failed: "Failed",
};

export function JobStatusBadge({ status, waitingRetry }: { status: JobStatus; waitingRetry?: boolean }) {
  return <Badge tone={waitingRetry ? "amber" : STATUS_TONE[status]}>{waitingRetry ? "Waiting for retry" : STATUS_LABEL[status]}</Badge>;
}

/** "Subscribed 3 · Error 1": only outcomes that occurred, in a fixed order. */
export function OutcomeCountsText({ outcomes, empty = "—" }: { outcomes: OutcomeCounts; empty?: string }) {
  const shown = OUTCOMES.filter((o) => outcomes[o]);
  if (shown.length === 0) return <span className="text-slate-400">{empty}</span>;
  return (
    <span className="flex flex-wrap gap-x-3 gap-y-0.5">
      {shown.map((o) => (
        <span key={o} data-testid={`count-${o}`} className={o === "error" || o === "conflict" ? "text-red-700" : undefined}>
          {OUTCOME_LABEL[o]} <span className="font-semibold tabular-nums">{outcomes[o]}</span>
        </span>
      ))}
    </span>
  );
}
