"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { OUTCOME_LABELS, type BulkOutcome } from "@/lib/members/bulk-outcome";
import type { BulkJobStatus } from "@/lib/members/bulk-report";
import { cancelBulkJobAction } from "../../bulk-actions";
import { ProgressBar } from "@/components/ui/progress-bar";

const finished = (status: BulkJobStatus["status"]) => status === "done" || status === "failed" || status === "cancelled";

const STATUS_TEXT: Record<BulkJobStatus["status"], string> = {
  queued: "Waiting for a worker",
  running: "Running",
  done: "Finished",
  failed: "Stopped by an error",
  cancelled: "Cancelled",
};

/**
 * Live progress of a bulk job: polls the status route while the job runs, then refreshes the
 * page once so the report table shows the final outcomes.
 */
export function JobProgress({ statusUrl, initial, targetId, listId, outcomes }: { statusUrl: string; initial: BulkJobStatus; targetId: number; listId: string; outcomes: readonly BulkOutcome[] }) {
  const router = useRouter();
  const refreshed = useRef(finished(initial.status));
  const [cancelProblem, setCancelProblem] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const { data, error } = useQuery({
    queryKey: ["bulk-job", statusUrl],
    queryFn: async (): Promise<BulkJobStatus> => {
      const response = await fetch(statusUrl, { cache: "no-store" });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error ?? `The server answered ${response.status}.`);
      return body as BulkJobStatus;
    },
    initialData: initial,
    refetchInterval: (query) => (query.state.data && finished(query.state.data.status) ? false : 700),
    refetchIntervalInBackground: false,
  });
  const job = data ?? initial;

  useEffect(() => {
    if (finished(job.status) && !refreshed.current) {
      refreshed.current = true;
      router.refresh();
    }
  }, [job.status, router]);

  const percent = job.total > 0 ? Math.floor((job.done / job.total) * 100) : finished(job.status) ? 100 : 0;
  const running = !finished(job.status);
  return (
    <section aria-label="Progress" className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="font-semibold text-slate-900" data-testid="job-status">
          {job.cancelRequested && running ? "Cancelling…" : STATUS_TEXT[job.status]}
        </p>
        <p className="text-sm tabular-nums text-slate-700" data-testid="job-count">
          {job.done.toLocaleString("en")} of {job.total.toLocaleString("en")} addresses
        </p>
      </div>
      <ProgressBar label="Addresses done" done={job.done} total={job.total} percent={percent} failed={job.status === "failed"} />
      <ul className="flex flex-wrap gap-x-5 gap-y-1 text-sm" aria-label="Outcomes so far">
        {outcomes.map((outcome) =>
          job.outcomes[outcome] ? (
            <li key={outcome} data-testid={`outcome-${outcome}`}>
              {OUTCOME_LABELS[outcome]}: <span className="font-semibold tabular-nums">{job.outcomes[outcome]!.toLocaleString("en")}</span>
            </li>
          ) : null,
        )}
      </ul>
      {job.error ? <Alert tone="error" title="The job stopped">{job.error}</Alert> : null}
      {error ? <Alert tone="warning">Progress could not be read: {(error as Error).message} Retrying.</Alert> : null}
      {running && !job.cancelRequested ? (
        <div className="flex items-center gap-3">
          <Button
            variant="secondary"
            pending={cancelling}
            onClick={async () => {
              setCancelling(true);
              setCancelProblem(null);
              try {
                const result = await cancelBulkJobAction({ targetId, listId, jobId: job.id });
                if (!result?.data) setCancelProblem(result?.serverError?.message ?? "The job could not be cancelled.");
              } catch {
                setCancelProblem("The request did not reach the server.");
              } finally {
                setCancelling(false);
              }
            }}
          >
            Cancel the rest
          </Button>
          <span className="text-xs text-slate-500">Addresses already sent stay done; the rest are reported as not done.</span>
        </div>
      ) : null}
      {cancelProblem ? <Alert tone="error">{cancelProblem}</Alert> : null}
    </section>
  );
}
