"use client";

import { useQuery } from "@tanstack/react-query";
import { Address } from "@/components/ui/address";
import { Alert } from "@/components/ui/alert";
import { Badge, EmptyState } from "@/components/ui/card";
import type { RemoveEverywhereStatus } from "@/lib/people/remove-everywhere";
import { REMOVE_OUTCOME_LABELS, REMOVE_OUTCOMES, type RemoveOutcome } from "@/lib/people/remove-plan";
import { ProgressBar } from "@/components/ui/progress-bar";

const finished = (status: RemoveEverywhereStatus["status"]) => status === "done" || status === "failed" || status === "cancelled";

const STATUS_TEXT: Record<RemoveEverywhereStatus["status"], string> = {
  queued: "Waiting for a worker",
  running: "Running",
  done: "Finished",
  failed: "Stopped by an error",
  cancelled: "Cancelled",
};

const TONES: Record<RemoveOutcome, "slate" | "emerald" | "amber" | "red"> = {
  removed: "emerald",
  refused_last_owner: "amber",
  not_member: "slate",
  banned: "emerald",
  already_banned: "slate",
  failed: "red",
};

const ROLE_WORDS: Record<string, string> = { member: "Member", owner: "Owner", moderator: "Moderator" };

/** Polls the job's status route while it runs; the report table fills in as items are done. */
export function RemoveEverywhereProgress({ statusUrl, reportUrl, initial }: { statusUrl: string; reportUrl: string; initial: RemoveEverywhereStatus }) {
  const { data, error } = useQuery({
    queryKey: ["remove-everywhere", statusUrl],
    queryFn: async (): Promise<RemoveEverywhereStatus> => {
      const response = await fetch(statusUrl, { cache: "no-store" });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error ?? `The server answered ${response.status}.`);
      return body as RemoveEverywhereStatus;
    },
    initialData: initial,
    refetchInterval: (query) => (query.state.data && finished(query.state.data.status) ? false : 700),
    refetchIntervalInBackground: false,
  });
  const job = data ?? initial;
  const percent = job.total > 0 ? Math.floor((job.done / job.total) * 100) : 100;

  return (
    <div className="space-y-6">
      <section aria-label="Progress" className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <p className="font-semibold text-slate-900" data-testid="job-status">
            {STATUS_TEXT[job.status]}
          </p>
          <p className="text-sm tabular-nums text-slate-700" data-testid="job-count">
            {job.done} of {job.total} done
          </p>
        </div>
        <ProgressBar label="Items done" done={job.done} total={job.total} percent={percent} failed={job.status === "failed"} />
        <ul className="flex flex-wrap gap-x-5 gap-y-1 text-sm" aria-label="Outcomes so far">
          {REMOVE_OUTCOMES.map((o) =>
            job.outcomes[o] ? (
              <li key={o} data-testid={`outcome-${o}`}>
                {REMOVE_OUTCOME_LABELS[o]}: <span className="font-semibold tabular-nums">{job.outcomes[o]}</span>
              </li>
            ) : null,
          )}
        </ul>
        {job.error ? <Alert tone="error" title="The job stopped">{job.error}</Alert> : null}
        {error ? <Alert tone="warning">Progress could not be read: {(error as Error).message} Retrying.</Alert> : null}
      </section>

      <section aria-labelledby="report-heading" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="report-heading" className="text-lg font-semibold text-slate-900">
            Report per list
          </h2>
          <a href={reportUrl} download className="text-sm font-semibold text-indigo-700 hover:underline">
            Download the report (CSV)
          </a>
        </div>
        {job.rows.length === 0 ? (
          <EmptyState title="Nothing to do">The address held none of the chosen roles.</EmptyState>
        ) : (
          <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <caption className="sr-only">Outcome per list and role</caption>
              <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2">List</th>
                  <th scope="col" className="px-3 py-2">Server</th>
                  <th scope="col" className="px-3 py-2">Role</th>
                  <th scope="col" className="px-3 py-2">Address</th>
                  <th scope="col" className="px-3 py-2">Outcome</th>
                  <th scope="col" className="px-3 py-2">Details</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {job.rows.map((row) => (
                  <tr key={row.position} data-testid="report-row">
                    <td className="px-3 py-1.5 font-mono break-words">{row.kind === "ban" ? "Global ban" : row.listId}</td>
                    <td className="px-3 py-1.5">{row.targetName}</td>
                    <td className="px-3 py-1.5">{row.role ? (ROLE_WORDS[row.role] ?? row.role) : "—"}</td>
                    <td className="px-3 py-1.5 font-mono"><Address email={row.email} /></td>
                    <td className="px-3 py-1.5 whitespace-nowrap">
                      {row.outcome ? <Badge tone={TONES[row.outcome]}>{REMOVE_OUTCOME_LABELS[row.outcome]}</Badge> : <span className="text-slate-500">{row.state === "pending" ? "Waiting" : "Being done"}</span>}
                    </td>
                    <td className="px-3 py-1.5 text-slate-600">{row.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
