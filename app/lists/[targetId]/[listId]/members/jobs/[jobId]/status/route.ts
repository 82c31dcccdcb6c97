import { listRoute } from "@/lib/auth/list-route";
import { NotFoundError } from "@/lib/errors";
import { bulkJobStatus } from "@/lib/members/bulk-report";
import { loadListBulkJob } from "@/lib/members/mass-operations";

/** Progress of one bulk job, polled by the job page while it runs. Database only, after the guard. */
export const GET = listRoute("administer", async (access, params) => {
  const jobId = Number(params.jobId);
  if (!Number.isInteger(jobId) || jobId < 1) throw new NotFoundError("That job does not exist on this list.");
  const job = await loadListBulkJob(access, jobId);
  return Response.json(await bulkJobStatus(job), { headers: { "cache-control": "no-store" } });
});
