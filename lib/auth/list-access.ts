import { ForbiddenError, NotFoundError } from "@/lib/errors";
import type { MailingList, MailmanClient } from "@/lib/mailman";
import { clientForTargetInRequest } from "@/lib/targets/request-client";
import type { TargetSummary } from "@/lib/targets/targets";
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

/**
 * What a read of one list's resources needs: the target's client and the list's id. A page may
 * start such a read beside the guard (lib/lists/list-page.ts `loadListPageData`), before the
 * guard's `ListAccess` exists; the read's answer is then only used once the guard has decided.
 */
export interface ListRef {
  client: MailmanClient;
  list: Pick<MailingList, "list_id"> & Partial<Pick<MailingList, "fqdn_listname">>;
}

const MISSING = "That list does not exist on this server (it may have been deleted).";

/**
 * Loads a list and checks that `viewer` may act on it: one core call for a superuser; for anyone
 * else, in parallel with it, one `members/find` per verified address (usually one: two calls in
 * all). A list the viewer may not even see is reported as missing, so that its existence does not
 * leak.
 */
export async function authorizeList(
  viewer: Viewer,
  targetId: number,
  listId: string,
  capability: ListCapability,
  /** The answer of `GET lists/{listId}` on this target, when a page started it before the viewer was loaded. */
  listRead?: Promise<MailingList | null>,
): Promise<ListAccess> {
  const { target, client } = await clientForTargetInRequest(targetId);
  return authorizeOn(viewer, target, client, listId, capability, listRead);
}

/**
 * `authorizeList` and a read of the list in one round trip: `load` starts beside the guard's
 * calls with the list id as given, and its answer is handed out only once the guard has let the
 * viewer in (a refusal drops it unread). An id the guard resolves to another (a posting address)
 * loads again with the list's own id. Only reads may be loaded so: the call precedes the decision.
 */
export async function authorizeListWith<T>(
  viewer: Viewer,
  targetId: number,
  listId: string,
  capability: ListCapability,
  load: (ref: ListRef) => Promise<T>,
): Promise<{ access: ListAccess; data: Promise<T> }> {
  const { target, client } = await clientForTargetInRequest(targetId);
  const early = listId.includes("@") ? null : load({ client, list: { list_id: listId } });
  return joinGuardedRead(listId, authorizeOn(viewer, target, client, listId, capability), early, load);
}

/**
 * The guard's answer joined with a read started beside it (`early`, null when none could start):
 * the read is handed out only once the guard let the viewer in, else dropped unread; when the
 * guard resolved the id to another (a posting address), the read runs again with the list's own.
 */
export async function joinGuardedRead<T>(
  listId: string,
  guarded: Promise<ListAccess>,
  early: Promise<T> | null,
  load: (ref: ListRef) => Promise<T>,
): Promise<{ access: ListAccess; data: Promise<T> }> {
  early?.catch(() => {});
  const access = await guarded;
  return { access, data: early && access.list.list_id === listId ? early : load(access) };
}

async function authorizeOn(
  viewer: Viewer,
  target: TargetSummary,
  client: MailmanClient,
  listId: string,
  capability: ListCapability,
  listRead?: Promise<MailingList | null>,
): Promise<ListAccess> {
  const targetId = target.id;
  // `members/find` matches `list_id` exactly and knows no posting addresses: an id given as the
  // posting address waits for the list's own id. An unknown list id finds nothing (no 404), and
  // a failed look-up must not hide the list's 404, so it is only awaited once the list is there.
  const early = viewer.isSuperuser || listId.includes("@") ? null : resolveListRoles(client, targetId, listId, viewer);
  early?.catch(() => {});
  const list = await (listRead ?? client.getList(listId));
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
