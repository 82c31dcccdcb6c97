import { z } from "zod";
import { consoleRoute } from "@/lib/entry/route";
import { logger } from "@/lib/logger";
import { bulkReportCsvLines, reportFileName } from "@/lib/members/bulk-report";
import { csvDownload, rosterCsvStream } from "@/lib/members/csv-export";
import { loadListBulkJob } from "@/lib/members/mass-operations";
import { queryId } from "@/lib/validation/ids";

/** The per-address report of a bulk job as CSV, streamed from the database in input order. */
export const GET = consoleRoute({ access: "signed_in", list: "administer", params: z.object({ jobId: queryId }) }, async ({ list, params, request }) => {
  const job = await loadListBulkJob(list, params.jobId);
  const stream = rosterCsvStream(bulkReportCsvLines(job.id), (error) => logger.warn({ err: error, bulkJob: job.id }, "bulk report download failed midway"), request.signal);
  return csvDownload(stream, reportFileName(job));
});
