import { requireSuperuser } from "@/lib/auth/guard";
import { ForbiddenError, NotFoundError, UnauthenticatedError } from "@/lib/errors";
import { loadRemoveEverywhereJob, removeEverywhereStatus } from "@/lib/people/remove-everywhere";

/** Progress and per-list report of a "remove everywhere" job, polled by its page (superusers; database only). */
export async function GET(_request: Request, { params }: { params: Promise<{ jobId: string }> }): Promise<Response> {
  try {
    await requireSuperuser();
    const job = await loadRemoveEverywhereJob(Number((await params).jobId));
    return Response.json(await removeEverywhereStatus(job), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof UnauthenticatedError) return Response.json({ error: "Sign in first." }, { status: 401 });
    if (error instanceof ForbiddenError) return Response.json({ error: error.message }, { status: 403 });
    if (error instanceof NotFoundError) return Response.json({ error: error.message }, { status: 404 });
    throw error;
  }
}
