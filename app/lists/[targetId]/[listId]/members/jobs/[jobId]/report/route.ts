import { listRoute } from "@/lib/auth/list-route";
import { NotFoundError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { bulkReportCsvLines, reportFileName } from "@/lib/members/bulk-report";
import { csvDownload, rosterCsvStream } from "@/lib/members/csv-export";
import { loadListBulkJob } from "@/lib/members/mass-operations";

/** The per-address report of a bulk job as CSV, streamed from the database in input order. */
export const GET = listRoute("administer", async (access, params, request) => {
  const jobId = Number(params.jobId);
  if (!Number.isInteger(jobId) || jobId < 1) throw new NotFoundError("That job does not exist on this list.");
  const job = await loadListBulkJob(access, jobId);
  const stream = rosterCsvStream(bulkReportCsvLines(job.id), (error) => logger.warn({ err: error, bulkJob: job.id }, "bulk report download failed midway"), request.signal);
  return csvDownload(stream, reportFileName(job));
});
