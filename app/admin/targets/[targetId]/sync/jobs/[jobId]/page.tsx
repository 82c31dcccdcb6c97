import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ChangeHistory } from "@/components/provisioning/change-history";
import { TargetBreadcrumb } from "@/components/target-breadcrumb";
import { Alert } from "@/components/ui/alert";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { Pager } from "@/components/ui/pager";
import { NotFoundError } from "@/lib/errors";
import { jobItemsPage, jobRow, type JobRow } from "@/lib/provisioning/sync-console";
import { loadTargetPage } from "@/lib/targets/target-page";
import { listEvents } from "@/lib/provisioning/job-store";
import { JobLiveStatus } from "../../job-live-status";
import { RetryNowButton } from "../../retry-button";
import { ItemSubjectCells } from "@/components/provisioning/item-subject-cells";

export const metadata: Metadata = { title: "Sync job" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** One provisioning job: its state (live while it runs), its items and every Mailman call it made. */
export default async function SyncJobPage({ params, searchParams }: { params: Promise<{ targetId: string; jobId: string }>; searchParams: SearchParams }) {
  const raw = await params;
  const { id, target } = await loadTargetPage(raw.targetId, `/sync/jobs/${raw.jobId}`);
  const jobId = /^\d{1,9}$/.test(raw.jobId) ? Number(raw.jobId) : 0;
  if (!jobId) notFound();
  let job: JobRow;
  try {
    job = await jobRow(jobId, id);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const sp = await searchParams;
  const page = Math.max(1, Number(sp.page) || 1);
  const [items, events] = await Promise.all([jobItemsPage(jobId, job.attempts, page), listEvents({ jobId, limit: 500 })]);
  const base = `/admin/targets/${id}/sync`;
  const history = events
    .slice()
    .reverse()
    .map((e) => ({ ...e, at: e.at.toISOString() }));
  const retryable = job.status === "failed" || job.status === "partial" || (job.status === "queued" && job.attempts > 0);

  return (
    <div className="space-y-6">
      <TargetBreadcrumb target={target} />
      <p className="text-sm">
        <Link href={base} className="text-indigo-700 hover:underline">
          ← Sync runs
        </Link>
      </p>
      <PageHeader
        title={`Job #${job.id}: ${job.action} · ${job.subject}`}
        description={
          <>
            Queued <DateTime value={job.createdAt} />
            {job.finishedAt ? (
              <>
                {" "}
                · ended <DateTime value={job.finishedAt} />
              </>
            ) : null}
          </>
        }
        actions={retryable ? <RetryNowButton targetId={id} jobId={job.id} /> : null}
      />
      <Card title="State">
        <JobLiveStatus targetId={id} initial={job} />
        {job.status === "queued" && job.attempts > 0 && job.nextAttemptAt ? (
          <p className="mt-2 text-sm text-slate-600">
            Next attempt <DateTime value={job.nextAttemptAt} />.
          </p>
        ) : null}
        {job.lastError ? (
          <Alert tone="error" className="mt-3" title="Last error">
            {job.lastError}
          </Alert>
        ) : null}
      </Card>
      <Card title={`Items of attempt ${job.attempts}`} description="One row per person, list and role the run looked at, with the outcome.">
        {items.total === 0 ? (
          <EmptyState title="No item">{job.status === "queued" || job.status === "running" ? "Items are recorded when the attempt ends." : "This run had nothing to change."}</EmptyState>
        ) : (
          <div className="space-y-3">
            <div className="overflow-x-auto">
              <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="job-items">
                <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                  <tr>
                    <th scope="col" className="px-3 py-2">Person</th>
                    <th scope="col" className="px-3 py-2">List and role</th>
                    <th scope="col" className="px-3 py-2">Address</th>
                    <th scope="col" className="px-3 py-2">Outcome</th>
                    <th scope="col" className="px-3 py-2">Details</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {items.rows.map((r) => (
                    <tr key={r.id}>
                      <ItemSubjectCells base={base} item={r} />
                      <td className="px-3 py-2">
                        <Badge tone={r.outcome === "error" || r.outcome === "conflict" ? "red" : r.outcome === "warning" ? "amber" : r.outcome === "unchanged" ? "slate" : "emerald"}>{r.outcome}</Badge>
                      </td>
                      <td className="px-3 py-2 text-slate-700">{r.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager label="Item pages" page={items.page} pageCount={Math.ceil(items.total / items.perPage)} hrefFor={(p) => `${base}/jobs/${job.id}?page=${p}`} />
          </div>
        )}
      </Card>
      <Card title="Mailman calls" description="Every mutation or error of every attempt, newest first.">
        <ChangeHistory targetId={id} items={history} total={history.length} page={1} perPage={Math.max(1, history.length)} hrefFor={() => `${base}/jobs/${job.id}`} />
      </Card>
    </div>
  );
}
