import "server-only";
import { z } from "zod";
import { describeActionError } from "@/lib/actions/safe-action";
import { authorizeList, requireViewer, type ListAccess } from "@/lib/auth/guard";
import { ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from "@/lib/errors";

/**
 * The guard of the moderation route handlers (badges, attachment downloads), whose list comes
 * from the URL path rather than the query: sign-in, then `moderate` on the list, then the
 * handler; typed errors become JSON with their status, as in lib/auth/route-guard.ts.
 */
export const listRouteParams = z.object({
  targetId: z.coerce.number().int().positive(),
  listId: z.string().min(1).max(320),
});

export function errorResponse(error: unknown): Response {
  const status =
    error instanceof UnauthenticatedError ? 401 : error instanceof ForbiddenError ? 403 : error instanceof NotFoundError ? 404 : error instanceof InvalidInputError ? 400 : 500;
  const failure = describeActionError(error as Error);
  return Response.json({ error: failure.message, ...(failure.reference ? { reference: failure.reference } : {}) }, { status, headers: { "cache-control": "no-store" } });
}

export async function moderatedRoute<S extends z.ZodType>(
  raw: Record<string, string>,
  schema: S,
  handler: (input: z.output<S>, access: ListAccess) => Promise<Response>,
): Promise<Response> {
  try {
    const viewer = await requireViewer();
    const decoded: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw)) {
      try {
        decoded[key] = decodeURIComponent(value);
      } catch {
        throw new InvalidInputError(`${key}: not a valid URL segment`);
      }
    }
    const parsed = schema.safeParse(decoded);
    if (!parsed.success) throw new InvalidInputError(parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "));
    const ref = listRouteParams.parse(parsed.data);
    const access = await authorizeList(viewer, ref.targetId, ref.listId, "moderate");
    return await handler(parsed.data, access);
  } catch (error) {
    return errorResponse(error);
  }
}
