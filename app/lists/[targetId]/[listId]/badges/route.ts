import { consoleRoute } from "@/lib/entry/route";
import { loadBadgeCounts } from "@/lib/moderation/badges";

export const dynamic = "force-dynamic";

/**
 * `{held, requests}` for a list's moderation badges (lib/moderation/badges.ts): reused for 30 s
 * per list and forgotten after Listkeeper's own decisions; otherwise two cheap `count` calls,
 * made beside the guard's own.
 */
export const GET = consoleRoute(
  { access: "signed_in", list: "moderate", listRead: (ref, targetId) => loadBadgeCounts(ref.client, targetId, ref.list.list_id) },
  ({ listData }) => listData,
);
