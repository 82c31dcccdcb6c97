import { describeActionError } from "@/lib/actions/safe-action";
import { requireViewer } from "@/lib/auth/guard";
import { authorizeList } from "@/lib/auth/list-access";
import { ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { exportFileName, rosterCsvLines, rosterCsvStream } from "@/lib/members/csv-export";
import { rosterQuerySchema } from "@/lib/members/roster";

/**
 * CSV export of a roster view (role, search and filters as on the page), streamed page by page
 * (lib/members/csv-export.ts). Same guard as every list action: owners and superusers only.
 */
export async function GET(request: Request, { params }: { params: Promise<{ targetId: string; listId: string }> }): Promise<Response> {
  try {
    const viewer = await requireViewer();
    const raw = await params;
    const targetId = Number(raw.targetId);
    if (!Number.isInteger(targetId) || targetId < 1) throw new NotFoundError("That server does not exist.");
    let listId: string;
    try {
      listId = decodeURIComponent(raw.listId);
    } catch {
      throw new NotFoundError("That list does not exist.");
    }
    const parsed = rosterQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw new InvalidInputError(parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "));
    const access = await authorizeList(viewer, targetId, listId, "administer");
    const query = parsed.data;
    const stream = rosterCsvStream(rosterCsvLines(access.client, access.list.list_id, query), (error) =>
      logger.warn({ err: { name: (error as Error).name, message: (error as Error).message }, listId: access.list.list_id }, "roster export failed midway"),
    );
    return new Response(stream, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${exportFileName(access.list.list_id, query.role)}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (error) {
    const status =
      error instanceof UnauthenticatedError ? 401 : error instanceof ForbiddenError ? 403 : error instanceof NotFoundError ? 404 : error instanceof InvalidInputError ? 400 : 500;
    const failure = describeActionError(error as Error);
    return Response.json({ error: failure.message, ...(failure.reference ? { reference: failure.reference } : {}) }, { status, headers: { "cache-control": "no-store" } });
  }
}
