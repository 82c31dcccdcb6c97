"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { actionProblem } from "@/components/forms/action-result";
import { JobStatusBadge, OutcomeCountsText } from "@/components/provisioning/job-badges";
import type { JobRow } from "@/lib/provisioning/sync-console";
import { jobStatusAction } from "./actions";

const ended = (s: JobRow["status"]) => s === "succeeded" || s === "partial" || s === "failed";

/** One job's state, polled every 2 s until it ends; then the page is refreshed for its items. */
export function JobLiveStatus({ targetId, initial }: { targetId: number; initial: JobRow }) {
  const router = useRouter();
  const refreshed = useRef(ended(initial.status));
  const { data } = useQuery({
    queryKey: ["sync-job", initial.id, initial.status, initial.attempts],
    queryFn: async (): Promise<JobRow> => {
      const result = await jobStatusAction({ targetId, jobId: initial.id });
      if (!result?.data) throw new Error(actionProblem(result)?.message ?? "No answer from the server.");
      return result.data;
    },
    initialData: initial,
    refetchInterval: (q) => (q.state.data && ended(q.state.data.status) ? false : 2000),
  });
  const job = data ?? initial;
  useEffect(() => {
    if (ended(job.status) && !refreshed.current) {
      refreshed.current = true;
      router.refresh();
    }
    if (!ended(job.status)) refreshed.current = false;
  }, [job.status, router]);
  return (
    <div className="flex flex-wrap items-center gap-4 text-sm" data-testid="job-live-status">
      <JobStatusBadge status={job.status} waitingRetry={job.status === "queued" && job.attempts > 0} />
      <span>
        Attempts <span className="font-semibold tabular-nums">{job.attempts}</span>
      </span>
      <span>
        Mailman calls <span className="font-semibold tabular-nums">{job.calls}</span>
      </span>
      <OutcomeCountsText outcomes={job.outcomes} empty={ended(job.status) ? "No item" : "Items are recorded when the attempt ends"} />
    </div>
  );
}
