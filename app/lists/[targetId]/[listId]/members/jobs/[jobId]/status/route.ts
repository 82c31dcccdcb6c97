import { z } from "zod";
import { consoleRoute } from "@/lib/entry/route";
import { bulkJobStatus } from "@/lib/members/bulk-report";
import { loadListBulkJob } from "@/lib/members/mass-operations";
import { queryId } from "@/lib/validation/ids";

/** Progress of one bulk job, polled by the job page while it runs. Database only, after the guard. */
export const GET = consoleRoute({ access: "signed_in", list: "administer", params: z.object({ jobId: queryId }) }, async ({ list, params }) =>
  bulkJobStatus(await loadListBulkJob(list, params.jobId)),
);
