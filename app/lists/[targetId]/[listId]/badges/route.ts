import { countHeld } from "@/lib/mailman/held";
import { countPendingRequests } from "@/lib/moderation/requests";
import { listRouteParams, moderatedRoute } from "@/lib/moderation/route-response";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ targetId: string; listId: string }> };

/**
 * `{held, requests}` for a list's moderation badges: three cheap `count` calls in parallel
 * (held, and requests awaiting approval of subscriptions and of unsubscriptions).
 */
export async function GET(_request: Request, { params }: Context): Promise<Response> {
  return moderatedRoute(await params, listRouteParams, async (_input, access) => {
    const [held, requests] = await Promise.all([countHeld(access.client, access.list.list_id), countPendingRequests(access.client, access.list.list_id)]);
    return Response.json({ held, requests }, { headers: { "cache-control": "no-store" } });
  });
}
