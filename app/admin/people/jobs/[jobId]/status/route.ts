import { z } from "zod";
import { consoleRoute } from "@/lib/entry/route";
import { loadRemoveEverywhereJob, removeEverywhereStatus } from "@/lib/people/remove-everywhere";
import { queryId } from "@/lib/validation/ids";

/** Progress and per-list report of a "remove everywhere" job, polled by its page (superusers; database only). */
export const GET = consoleRoute({ access: "superuser", params: z.object({ jobId: queryId }) }, async ({ params }) =>
  removeEverywhereStatus(await loadRemoveEverywhereJob(params.jobId)),
);
