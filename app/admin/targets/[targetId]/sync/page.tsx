import type { Metadata } from "next";
import Link from "next/link";
import { JobStatusBadge, OutcomeCountsText } from "@/components/provisioning/job-badges";
import { TargetBreadcrumb } from "@/components/target-breadcrumb";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { Pager } from "@/components/ui/pager";
import { liveJobs, problemItems, recentRuns, retrySchedule, targetHealth, targetOrThrow } from "@/lib/provisioning/sync-console";
import { loadTargetPage } from "@/lib/targets/target-page";
import { LiveJobs } from "./live-jobs";
import { RetryNowButton } from "./retry-button";
import { RunQueuedNowButton } from "./run-queued-button";
import { MODE_LABEL, modeMeaning, modeRules } from "@/lib/provisioning/modes";
import { ItemSubjectCells } from "@/components/provisioning/item-subject-cells";

export const metadata: Metadata = { title: "Sync runs" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const pageOf = (v: string | string[] | undefined) => {
  const n = Number(Array.isArray(v) ? v[0] : v);
  return Number.isInteger(n) && n > 0 && n < 100_000 ? n : 1;
};

/** Sync runs of one server (issue 10 item 3): health, live jobs, retries, problems, recent runs. */
export default async function SyncPage({ params, searchParams }: { params: Promise<{ targetId: string }>; searchParams: SearchParams }) {
  const { targetId } = await params;
  const { id, target } = await loadTargetPage(targetId, "/sync");
  const sp = await searchParams;
  const runsPage = pageOf(sp.page);
  const itemsPage = pageOf(sp.problems);
  const [policy, health, live, retries, problems, runs] = await Promise.all([targetOrThrow(id), targetHealth(id), liveJobs(id), retrySchedule(id), problemItems(id, itemsPage), recentRuns(id, runsPage)]);
  const base = `/admin/targets/${id}/sync`;
  const href = (runs: number, problems: number) => {
    const q = new URLSearchParams();
    if (runs > 1) q.set("page", String(runs));
    if (problems > 1) q.set("problems", String(problems));
    const s = q.toString();
    return s ? `${base}?${s}` : base;
  };

  return (
    <div className="space-y-6">
      <TargetBreadcrumb target={target} />
      <PageHeader
        title={`Sync runs on ${target.name}`}
        description="What the provisioner did on this Mailman server and what it is doing now. Every job recomputes its subject from the registry."
        actions={
          <Link href="/admin/conflicts" className="rounded-md px-3 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-50">
            Conflicts
          </Link>
        }
      />

      <Card title="Health" actions={<Badge tone={health.tone}>{health.headline}</Badge>}>
        <dl className="grid grid-cols-2 gap-4 text-sm sm:grid-cols-4" data-testid="target-health">
          <div>
            <dt className="text-slate-600">Last clean reconcile</dt>
            <dd className="font-semibold">
              {health.lastGoodReconcile ? (
                <Link href={`${base}/jobs/${health.lastGoodReconcile.jobId}`} className="text-indigo-700 hover:underline">
                  <DateTime value={health.lastGoodReconcile.finishedAt} />
                </Link>
              ) : (
                "Never"
              )}
            </dd>
          </div>
          <div>
            <dt className="text-slate-600">Drift found by the last repair</dt>
            <dd className="font-semibold">{health.drift === null ? "No repair yet" : health.drift === 0 ? "None" : `${health.drift} ${health.drift === 1 ? "change" : "changes"}`}</dd>
          </div>
          <div>
            <dt className="text-slate-600">Open conflicts</dt>
            <dd className="font-semibold">
              {health.openConflicts > 0 ? (
                <Link href="/admin/conflicts" className="text-indigo-700 hover:underline">
                  {health.openConflicts}
                </Link>
              ) : (
                0
              )}
            </dd>
          </div>
          <div>
            <dt className="text-slate-600">Jobs waiting</dt>
            <dd className="font-semibold">
              {health.jobsWaiting}
              {health.waitingRetry ? <span className="font-normal text-slate-600"> ({health.waitingRetry} for a retry)</span> : null}
              {health.waitingQueueRun ? <span className="font-normal text-slate-600"> ({health.waitingQueueRun} for the queue run)</span> : null}
            </dd>
          </div>
        </dl>
        {health.notes.length > 0 ? (
          <ul className="mt-3 list-disc pl-5 text-sm text-slate-600">
            {health.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        ) : null}
      </Card>

      <Card
        title={`Mode: ${MODE_LABEL[policy.mode]}`}
        actions={
          <Link href={`/admin/targets/${id}`} className="text-sm text-indigo-700 hover:underline">
            Change the mode
          </Link>
        }
      >
        <p className="text-sm text-slate-700" data-testid="sync-mode-meaning">
          {modeMeaning(policy.mode, policy)}
        </p>
        {policy.mode === "queue" || health.waitingQueueRun > 0 ? (
          <div className="mt-3 flex flex-wrap items-center gap-3">
            <RunQueuedNowButton targetId={id} waiting={health.waitingQueueRun} />
            <span className="text-sm text-slate-600">
              {health.waitingQueueRun === 0 ? "No job waits for the queue run." : `${health.waitingQueueRun} ${health.waitingQueueRun === 1 ? "job waits" : "jobs wait"} for the next queue run (the start of the next minute).`}
            </span>
          </div>
        ) : null}
      </Card>

      <LiveJobs targetId={id} initial={live} />

      <Card
        title="Retry schedule"
        description={
          modeRules(policy.mode).retriesTransportErrors
            ? `Jobs waiting for their retry after the core could not be reached (every ${policy.retryIntervalS} s, at most ${policy.maxRetry} attempts), and jobs that failed in the last seven days. "Retry now" runs one again at once, from scratch.`
            : `In ${MODE_LABEL[policy.mode]} mode a job that cannot reach the core is not retried by itself. Jobs that failed in the last seven days; "Retry now" runs one again at once, from scratch.`
        }
      >
        {retries.length === 0 ? (
          <EmptyState title="No job waits for a retry">Nothing failed in the last seven days.</EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="retry-schedule">
              <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2">Job</th>
                  <th scope="col" className="px-3 py-2">State</th>
                  <th scope="col" className="px-3 py-2">Attempts</th>
                  <th scope="col" className="px-3 py-2">Next attempt</th>
                  <th scope="col" className="px-3 py-2">Last error</th>
                  <th scope="col" className="px-3 py-2"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {retries.map((j) => (
                  <tr key={j.id} data-testid="retry-row">
                    <td className="px-3 py-2">
                      <Link href={`${base}/jobs/${j.id}`} className="text-indigo-700 hover:underline">
                        #{j.id}
                      </Link>{" "}
                      {j.action} · {j.subject}
                    </td>
                    <td className="px-3 py-2">
                      <JobStatusBadge status={j.status} waitingRetry={j.status === "queued"} />
                    </td>
                    <td className="px-3 py-2 tabular-nums">{j.attempts}</td>
                    <td className="px-3 py-2">{j.nextAttemptAt ? <DateTime value={j.nextAttemptAt} /> : "No further attempt"}</td>
                    <td className="px-3 py-2 text-red-700">{j.lastError ?? "—"}</td>
                    <td className="px-3 py-2">
                      <RetryNowButton targetId={id} jobId={j.id} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <Card title="Failed and partial items" description="What the core answered for each item that did not go through, in its own words.">
        {problems.total === 0 ? (
          <EmptyState title="No failed item">Every item of the runs on this server went through.</EmptyState>
        ) : (
          <div className="space-y-3">
            <div className="overflow-x-auto">
              <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="problem-items">
                <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                  <tr>
                    <th scope="col" className="px-3 py-2">Job</th>
                    <th scope="col" className="px-3 py-2">Person</th>
                    <th scope="col" className="px-3 py-2">List and role</th>
                    <th scope="col" className="px-3 py-2">Address</th>
                    <th scope="col" className="px-3 py-2">What the core said</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {problems.rows.map((r) => (
                    <tr key={r.id}>
                      <td className="px-3 py-2">
                        <Link href={`${base}/jobs/${r.jobId}`} className="text-indigo-700 hover:underline">
                          #{r.jobId}
                        </Link>{" "}
                        <JobStatusBadge status={r.jobStatus} />
                      </td>
                      <ItemSubjectCells base={base} item={r} />
                      <td className="px-3 py-2 text-red-700">
                        <Badge tone="red">{r.outcome}</Badge> {r.message}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager label="Failed item pages" page={problems.page} pageCount={Math.ceil(problems.total / problems.perPage)} hrefFor={(p) => href(runsPage, p)} />
          </div>
        )}
      </Card>

      <Card title="Recent runs">
        {runs.total === 0 ? (
          <EmptyState title="No run yet">Jobs appear here once a registry change, a reconcile or the scheduler queues one.</EmptyState>
        ) : (
          <div className="space-y-3">
            <div className="overflow-x-auto">
              <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="recent-runs">
                <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                  <tr>
                    <th scope="col" className="px-3 py-2">Job</th>
                    <th scope="col" className="px-3 py-2">Subject</th>
                    <th scope="col" className="px-3 py-2">State</th>
                    <th scope="col" className="px-3 py-2">Outcomes</th>
                    <th scope="col" className="px-3 py-2">Queued</th>
                    <th scope="col" className="px-3 py-2">Ended</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {runs.rows.map((j) => (
                    <tr key={j.id} data-testid="run-row">
                      <td className="px-3 py-2">
                        <Link href={`${base}/jobs/${j.id}`} className="text-indigo-700 hover:underline">
                          #{j.id}
                        </Link>{" "}
                        {j.action}
                      </td>
                      <td className="px-3 py-2">
                        {j.subjectType === "person" && j.subjectId ? (
                          <Link href={`${base}/people/${j.subjectId}`} className="text-indigo-700 hover:underline">
                            {j.subject}
                          </Link>
                        ) : j.subjectType === "list" && j.subjectId ? (
                          <Link href={`${base}/lists/${j.subjectId}`} className="text-indigo-700 hover:underline">
                            {j.subject}
                          </Link>
                        ) : (
                          j.subject
                        )}
                      </td>
                      <td className="px-3 py-2">
                        <JobStatusBadge status={j.status} waitingRetry={j.status === "queued" && j.attempts > 0} />
                      </td>
                      <td className="px-3 py-2">
                        <OutcomeCountsText outcomes={j.outcomes} />
                      </td>
                      <td className="whitespace-nowrap px-3 py-2">
                        <DateTime value={j.createdAt} />
                      </td>
                      <td className="whitespace-nowrap px-3 py-2">
                        <DateTime value={j.finishedAt} fallback="—" />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager label="Run pages" page={runs.page} pageCount={Math.ceil(runs.total / runs.perPage)} hrefFor={(p) => href(p, itemsPage)} />
          </div>
        )}
      </Card>
    </div>
  );
}
