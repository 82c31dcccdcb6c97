import { ForbiddenError, NotFoundError } from "@/lib/errors";
import type { MailingList, MailmanClient } from "@/lib/mailman";
import { clientForTarget, type TargetSummary } from "@/lib/targets/targets";
import { resolveListRoles } from "./list-roles";
import { permits, type ListCapability, type ListRole } from "./roles";
import type { Viewer } from "./users";

export interface ListAccess {
  viewer: Viewer;
  target: TargetSummary;
  client: MailmanClient;
  list: MailingList;
  roles: Set<ListRole>;
}

const MISSING = "That list does not exist on this server (it may have been deleted).";

/**
 * Loads a list and checks that `viewer` may act on it: one core call for a superuser; for anyone
 * else, in parallel with it, one `members/find` per verified address (usually one: two calls in
 * all). A list the viewer may not even see is reported as missing, so that its existence does not
 * leak.
 */
export async function authorizeList(viewer: Viewer, targetId: number, listId: string, capability: ListCapability): Promise<ListAccess> {
  const { target, client } = await clientForTarget(targetId);
  // `members/find` matches `list_id` exactly and knows no posting addresses: an id given as the
  // posting address waits for the list's own id. An unknown list id finds nothing (no 404), and
  // a failed look-up must not hide the list's 404, so it is only awaited once the list is there.
  const early = viewer.isSuperuser || listId.includes("@") ? null : resolveListRoles(client, targetId, listId, viewer);
  early?.catch(() => {});
  const list = await client.getList(listId);
  if (!list) throw new NotFoundError(MISSING);
  const roles = viewer.isSuperuser
    ? new Set<ListRole>()
    : await (early && list.list_id === listId ? early : resolveListRoles(client, targetId, list.list_id, viewer));
  const facts = { isSuperuser: viewer.isSuperuser, roles, advertised: Boolean(list.advertised) };
  if (!permits(facts, capability)) {
    if (!permits(facts, "view")) throw new NotFoundError(MISSING);
    throw new ForbiddenError(capability === "administer" ? "Only the list's owners may do that." : "Only the list's owners and moderators may do that.");
  }
  return { viewer, target, client, list, roles };
}
