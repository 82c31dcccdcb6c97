import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { requireSuperuser } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { loadRemoveEverywhereJob, removeEverywhereStatus, type RemoveEverywhereStatus } from "@/lib/people/remove-everywhere";
import { RemoveEverywhereProgress } from "./progress";

export const metadata: Metadata = { title: "Remove everywhere" };

type Params = Promise<{ jobId: string }>;

/** One "remove everywhere" job (superusers): live progress, then the report per list, as CSV too. */
export default async function RemoveEverywhereJobPage({ params }: { params: Params }) {
  const { jobId } = await params;
  // A job that does not exist is "not found" (guardPage), after the superuser check.
  const status: RemoveEverywhereStatus = await guardPage(async () => {
    await requireSuperuser();
    return removeEverywhereStatus(await loadRemoveEverywhereJob(Number(jobId)));
  }, `/admin/people/jobs/${jobId}`);
  const base = `/admin/people/jobs/${status.id}`;
  return (
    <>
      <PageHeader
        title={`Remove ${status.address} everywhere`}
        description={
          <>
            Job {status.id}, started <DateTime value={status.createdAt} />. Roles: {status.roles.join(", ")}
            {status.globalBan ? "; global ban" : ""}. Addresses: {status.addresses.join(", ")}.
          </>
        }
      />
      <p className="mb-4 text-sm">
        <Link href={`/admin/people?q=${encodeURIComponent(status.address)}`} className="text-indigo-700 hover:underline">
          ← Find {status.address} again
        </Link>
      </p>
      <RemoveEverywhereProgress statusUrl={`${base}/status`} reportUrl={`${base}/report`} initial={status} />
    </>
  );
}
