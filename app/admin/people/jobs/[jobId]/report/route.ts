import { requireSuperuser } from "@/lib/auth/guard";
import { ForbiddenError, NotFoundError, UnauthenticatedError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { csvDownload, rosterCsvStream } from "@/lib/members/csv-export";
import { loadRemoveEverywhereJob, removeEverywhereCsvLines, removeEverywhereFileName } from "@/lib/people/remove-everywhere";

/** The per-list report of a "remove everywhere" job as CSV (superusers). */
export async function GET(request: Request, { params }: { params: Promise<{ jobId: string }> }): Promise<Response> {
  try {
    await requireSuperuser();
    const job = await loadRemoveEverywhereJob(Number((await params).jobId));
    const stream = rosterCsvStream(removeEverywhereCsvLines(job), (error) => logger.warn({ err: error, removeEverywhereJob: job.id }, "remove everywhere report download failed midway"), request.signal);
    return csvDownload(stream, removeEverywhereFileName(job));
  } catch (error) {
    if (error instanceof UnauthenticatedError) return Response.json({ error: "Sign in first." }, { status: 401 });
    if (error instanceof ForbiddenError) return Response.json({ error: error.message }, { status: 403 });
    if (error instanceof NotFoundError) return Response.json({ error: error.message }, { status: 404 });
    throw error;
  }
}
