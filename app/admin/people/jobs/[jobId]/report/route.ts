import { z } from "zod";
import { consoleRoute } from "@/lib/entry/route";
import { logger } from "@/lib/logger";
import { csvDownload, rosterCsvStream } from "@/lib/members/csv-export";
import { loadRemoveEverywhereJob, removeEverywhereCsvLines, removeEverywhereFileName } from "@/lib/people/remove-everywhere";
import { queryId } from "@/lib/validation/ids";

/** The per-list report of a "remove everywhere" job as CSV (superusers). */
export const GET = consoleRoute({ access: "superuser", params: z.object({ jobId: queryId }) }, async ({ params, request }) => {
  const job = await loadRemoveEverywhereJob(params.jobId);
  const stream = rosterCsvStream(removeEverywhereCsvLines(job), (error) => logger.warn({ err: error, removeEverywhereJob: job.id }, "remove everywhere report download failed midway"), request.signal);
  return csvDownload(stream, removeEverywhereFileName(job));
});
