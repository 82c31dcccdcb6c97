import { requireViewer } from "@/lib/auth/guard";
import { authorizeListWith } from "@/lib/auth/list-access";
import { InvalidInputError } from "@/lib/errors";
import { loadBadgeCounts } from "@/lib/moderation/badges";
import { consoleRouteError } from "@/lib/entry/console-route";
import { listRouteParams } from "@/lib/moderation/route-response";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ targetId: string; listId: string }> };

/**
 * `{held, requests}` for a list's moderation badges (lib/moderation/badges.ts): reused for 30 s
 * per list and forgotten after Listkeeper's own decisions; otherwise two cheap `count` calls,
 * made beside the guard's own.
 */
export async function GET(_request: Request, { params }: Context): Promise<Response> {
  try {
    const viewer = await requireViewer();
    const raw = await params;
    let listId: string;
    try {
      listId = decodeURIComponent(raw.listId);
    } catch {
      throw new InvalidInputError("listId: not a valid URL segment");
    }
    const parsed = listRouteParams.safeParse({ targetId: raw.targetId, listId });
    if (!parsed.success) throw new InvalidInputError(parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "));
    const { targetId } = parsed.data;
    const { data } = await authorizeListWith(viewer, targetId, parsed.data.listId, "moderate", (ref) => loadBadgeCounts(ref.client, targetId, ref.list.list_id));
    return Response.json(await data, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return consoleRouteError(error);
  }
}
