import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ListHeader, listPath } from "@/components/list-header";
import { Badge, EmptyState } from "@/components/ui/card";
import { Pager } from "@/components/ui/pager";
import { cn } from "@/lib/cn";
import { NotFoundError } from "@/lib/errors";
import { loadListPage, parseListParams } from "@/lib/lists/list-page";
import { OUTCOME_LABELS, type BulkOutcome } from "@/lib/members/bulk-outcome";
import { bulkJobStatus, bulkJobTitle, outcomesOf, REPORT_PAGE_SIZE, reportQuerySchema } from "@/lib/members/bulk-report";
import { reportTablePage, type BulkJob } from "@/lib/members/bulk-store";
import { loadListBulkJob } from "@/lib/members/mass-operations";
import { importRolesState } from "@/lib/members/import-roles";
import { ImportRoles } from "./import-roles";
import { JobProgress } from "./job-progress";
import { DateTime } from "@/components/ui/date-time";

type Params = Promise<{ targetId: string; listId: string; jobId: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export const metadata: Metadata = { title: "Bulk job" };

const TONES: Record<BulkOutcome, "slate" | "indigo" | "emerald" | "amber" | "red"> = {
  subscribed: "emerald",
  removed: "emerald",
  already_member: "slate",
  not_member: "slate",
  pending_confirmation: "amber",
  pending_approval: "amber",
  banned: "red",
  invalid: "red",
  failed: "red",
  cancelled: "slate",
};

/** One bulk job: live progress, then the report per address (filterable, paged, downloadable). */
export default async function BulkJobPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const raw = await params;
  const { targetId, listId } = parseListParams(raw);
  const access = await loadListPage(targetId, listId, "administer", `/members/jobs/${raw.jobId}`);
  const jobId = Number(raw.jobId);
  if (!Number.isInteger(jobId) || jobId < 1) notFound();
  let job: BulkJob;
  try {
    job = await loadListBulkJob(access, jobId);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const query = reportQuerySchema(job.kind).parse(Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  const [status, table, importRoles] = await Promise.all([
    bulkJobStatus(job),
    reportTablePage(job.id, { page: query.page, size: REPORT_PAGE_SIZE, outcome: query.outcome }),
    importRolesState(access, job),
  ]);
  const base = listPath(access.target.id, access.list.list_id, `/members/jobs/${job.id}`);
  const hrefFor = (page: number, outcome = query.outcome) => {
    const search = new URLSearchParams();
    if (outcome) search.set("outcome", outcome);
    if (page > 1) search.set("page", String(page));
    const s = search.toString();
    return s ? `${base}?${s}` : base;
  };
  const outcomes = outcomesOf(job.kind);

  return (
    <>
      <ListHeader access={access} current="members" />
      <p className="mb-4 text-sm">
        <Link href={listPath(access.target.id, access.list.list_id, "/members")} className="text-indigo-700 hover:underline">
          ← Members
        </Link>
      </p>
      <div className="mb-4 flex flex-wrap items-baseline justify-between gap-3">
        <h2 className="text-xl font-semibold text-slate-900">
          {bulkJobTitle(job)} <span className="text-base font-normal text-slate-500">· job {job.id}</span>
        </h2>
        <p className="text-sm text-slate-600">
          Started <DateTime value={job.createdAt} />
        </p>
      </div>
      <div className="space-y-6">
        <JobProgress statusUrl={`${base}/status`} initial={status} targetId={access.target.id} listId={access.list.list_id} outcomes={outcomes} />
        {importRoles.length > 0 ? (
          <ImportRoles targetId={access.target.id} listId={access.list.list_id} jobId={job.id} roles={importRoles} jobEnded={job.status !== "queued" && job.status !== "running"} />
        ) : null}

        <section aria-labelledby="report-heading" className="space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h3 id="report-heading" className="text-lg font-semibold text-slate-900">
              Report
            </h3>
            <a href={`${base}/report`} download className="text-sm font-semibold text-indigo-700 hover:underline">
              Download the report (CSV)
            </a>
          </div>
          <nav aria-label="Filter the report" className="flex flex-wrap gap-2 text-sm">
            <Link href={hrefFor(1, undefined)} aria-current={!query.outcome ? "page" : undefined} className={chip(!query.outcome)}>
              All
            </Link>
            {outcomes.map((o) =>
              status.outcomes[o] ? (
                <Link key={o} href={hrefFor(1, o)} aria-current={query.outcome === o ? "page" : undefined} className={chip(query.outcome === o)}>
                  {OUTCOME_LABELS[o]} ({status.outcomes[o]!.toLocaleString("en")})
                </Link>
              ) : null,
            )}
          </nav>
          {table.rows.length === 0 ? (
            <EmptyState title={query.outcome ? "No address with this outcome" : "No addresses yet"}>
              {job.source === "roster" && status.total === 0 ? "The worker reads the roster when the job starts." : null}
            </EmptyState>
          ) : (
            <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
              <table className="min-w-full divide-y divide-slate-200 text-sm">
                <caption className="sr-only">Outcome per address</caption>
                <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                  <tr>
                    <th scope="col" className="px-4 py-2">#</th>
                    <th scope="col" className="px-4 py-2">Address</th>
                    <th scope="col" className="px-4 py-2">Name</th>
                    <th scope="col" className="px-4 py-2">Outcome</th>
                    <th scope="col" className="px-4 py-2">Details</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {table.rows.map((row) => (
                    <tr key={row.position}>
                      <td className="px-4 py-1.5 tabular-nums text-slate-500">{row.position}</td>
                      <td className="px-4 py-1.5 font-mono break-all">{row.email}</td>
                      <td className="px-4 py-1.5">{row.displayName ?? <span className="text-slate-400">—</span>}</td>
                      <td className="px-4 py-1.5">
                        {row.outcome ? <Badge tone={TONES[row.outcome]}>{OUTCOME_LABELS[row.outcome]}</Badge> : <span className="text-slate-500">{row.state === "pending" ? "Waiting" : "Being sent"}</span>}
                      </td>
                      <td className="px-4 py-1.5 text-slate-600">{row.detail}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager label="Report pages" page={query.page} pageCount={Math.max(1, Math.ceil(table.total / REPORT_PAGE_SIZE))} hrefFor={(p) => hrefFor(p)} />
        </section>
      </div>
    </>
  );
}

function chip(active: boolean) {
  return cn("rounded-full px-3 py-1 font-medium", active ? "bg-indigo-600 text-white" : "bg-white text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50");
}
