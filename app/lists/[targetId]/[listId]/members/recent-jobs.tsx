import Link from "next/link";
import { Badge } from "@/components/ui/card";
import { bulkJobTitle } from "@/lib/members/bulk-report";
import { listBulkJobs, type BulkJob } from "@/lib/members/bulk-store";
import { DateTime } from "@/components/ui/date-time";

const STATUS: Record<BulkJob["status"], { label: string; tone: "slate" | "indigo" | "emerald" | "amber" | "red" }> = {
  queued: { label: "Waiting", tone: "amber" },
  running: { label: "Running", tone: "indigo" },
  done: { label: "Finished", tone: "emerald" },
  failed: { label: "Failed", tone: "red" },
  cancelled: { label: "Cancelled", tone: "slate" },
};

/** The list's latest five bulk jobs: the page starts the read beside its roster call. */
export function loadRecentJobs(targetId: number, listId: string): Promise<BulkJob[]> {
  return listBulkJobs(targetId, listId, 5);
}

/** The list's latest bulk jobs, so a job's progress and report can be found again later. */
export async function RecentJobs({ jobs: pending, basePath }: { jobs: Promise<BulkJob[]>; basePath: string }) {
  const jobs = await pending;
  if (jobs.length === 0) return null;
  return (
    <section aria-labelledby="recent-jobs" className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <h2 id="recent-jobs" className="mb-2 text-sm font-semibold text-slate-900">
        Recent bulk jobs
      </h2>
      <ul className="divide-y divide-slate-100 text-sm">
        {jobs.map((job) => (
          <li key={job.id} className="flex flex-wrap items-center gap-3 py-1.5">
            <Link href={`${basePath}/jobs/${job.id}`} className="font-medium text-indigo-700 hover:underline">
              {bulkJobTitle(job)} · job {job.id}
            </Link>
            <Badge tone={STATUS[job.status].tone}>{STATUS[job.status].label}</Badge>
            <span className="text-slate-600">
              {job.total.toLocaleString("en")} {job.total === 1 ? "address" : "addresses"} · <DateTime value={job.createdAt} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
