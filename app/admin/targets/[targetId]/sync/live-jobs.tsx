"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { actionProblem } from "@/components/forms/action-result";
import { JobStatusBadge, OutcomeCountsText } from "@/components/provisioning/job-badges";
import { Alert } from "@/components/ui/alert";
import { Card, EmptyState } from "@/components/ui/card";
import type { LiveView } from "@/lib/provisioning/sync-console";
import { liveJobsAction } from "./actions";
import { ProgressBar } from "@/components/ui/progress-bar";

/**
 * The jobs live now, polled every 2 s while any of them is queued or running; when the batch
 * ends the page is refreshed once so health, runs and problems show the result.
 */
export function LiveJobs({ targetId, initial }: { targetId: number; initial: LiveView }) {
  const router = useRouter();
  const wasLive = useRef(initial.progress.live);
  const { data, error } = useQuery({
    queryKey: ["sync-live", targetId, initial.progress.live, initial.progress.total],
    queryFn: async (): Promise<LiveView> => {
      const result = await liveJobsAction({ targetId });
      if (!result?.data) throw new Error(actionProblem(result)?.message ?? "No answer from the server.");
      return result.data;
    },
    initialData: initial,
    refetchInterval: (query) => (query.state.data?.progress.live ? 2000 : false),
    refetchIntervalInBackground: false,
  });
  const view = data ?? initial;
  const p = view.progress;

  useEffect(() => {
    if (wasLive.current && !p.live) router.refresh();
    wasLive.current = p.live;
  }, [p.live, router]);

  return (
    <Card title="Live jobs" description="Jobs queued or running now, with those of the same burst that already ended. Refreshed every 2 seconds while anything runs.">
      {!p.live ? (
        <EmptyState title="Nothing is running">Every job of this server has ended.</EmptyState>
      ) : (
        <div className="space-y-3" data-testid="live-jobs">
          <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
            <p className="font-semibold">
              {p.finished} of {p.total} jobs done
            </p>
            <p className="text-slate-600">
              {p.running} running · {p.queued - p.waitingRetry} queued{p.waitingRetry ? ` · ${p.waitingRetry} waiting for a retry` : ""}
            </p>
          </div>
          <ProgressBar label="Jobs done" done={p.finished} total={p.total} percent={p.percent} failed={Boolean(p.byStatus.failed)} />
          <div className="text-sm" aria-label="Outcomes so far">
            <OutcomeCountsText outcomes={p.outcomes} empty="No outcome yet" />
          </div>
          <ul className="divide-y divide-slate-100 text-sm">
            {view.jobs.map((j) => (
              <li key={j.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span>
                  <Link href={`/admin/targets/${targetId}/sync/jobs/${j.id}`} className="font-medium text-indigo-700 hover:underline">
                    #{j.id}
                  </Link>{" "}
                  {j.action} · {j.subject}
                </span>
                <span className="flex items-center gap-3">
                  <span className="text-slate-600">{j.calls} Mailman calls</span>
                  <JobStatusBadge status={j.status} waitingRetry={j.status === "queued" && j.attempts > 0} />
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {error ? <Alert tone="warning">Progress could not be read: {(error as Error).message} Retrying.</Alert> : null}
    </Card>
  );
}
