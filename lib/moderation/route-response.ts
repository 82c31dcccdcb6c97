import "server-only";
import { z } from "zod";
import { authorizeList, requireViewer, type ListAccess } from "@/lib/auth/guard";
import { consoleRouteError } from "@/lib/entry/console-route";
import { queryId } from "@/lib/validation/ids";
import { InvalidInputError } from "@/lib/errors";

/**
 * The guard of the moderation route handlers (badges, attachment downloads), whose list comes
 * from the URL path rather than the query: sign-in, then `moderate` on the list, then the
 * handler; errors are answered by the entry layer (lib/entry/console-route.ts).
 */
export const listRouteParams = z.object({
  targetId: queryId,
  listId: z.string().min(1).max(320),
});

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
    return consoleRouteError(error);
  }
}
