import { cache } from "react";
import type { MailmanClient } from "@/lib/mailman";
import { rolesFromMemberships, type ListRole } from "./roles";
import type { Viewer } from "./users";

/**
 * Per-request memo of role lookups, keyed by target and list. React's `cache` scopes the map to
 * one server request, so a role change made by Listkeeper is seen by the next request; within a
 * request, `forgetListRoles` drops the entries after Listkeeper itself changes a roster.
 */
const requestMemo = cache(() => new Map<string, Promise<Set<ListRole>>>());

// The core compares `list_id` exactly (the same id in another case is an unknown list), so the
// key does too.
const key = (targetId: number, listId: string) => `${targetId}\u0000${listId}`;

/**
 * One address holds at most one membership per role on a list (owner, moderator, member,
 * nonmember); the rest of the page can only be the superset a `*` wildcard returns (see below).
 */
const FIND_PAGE = { count: 25, page: 1 } as const;

/**
 * Owner, moderator and member roles of `viewer` on one list: one core call per verified address
 * (`members/find` with `list_id` and `subscriber`, no role, so every membership of the address on
 * the list comes back in one answer). An unknown list id answers an empty page, not 404.
 */
export function resolveListRoles(client: MailmanClient, targetId: number, listId: string, viewer: Viewer): Promise<Set<ListRole>> {
  if (viewer.verifiedEmails.length === 0) return Promise.resolve(new Set());
  const memo = requestMemo();
  const memoKey = key(targetId, listId);
  let pending = memo.get(memoKey);
  if (!pending) {
    pending = (async () => {
      const pages = await Promise.all(viewer.verifiedEmails.map((email) => findRolesOf(client, listId, email)));
      // The core matches `subscriber` exactly, as an `as_address` row or an `as_user` row whose
      // preferred address it is (mailman-rest.md §12), unless it holds a `*`: then it is a LIKE
      // pattern over addresses and display names. Only entries whose own address is one of the
      // viewer's verified ones count, so a pattern cannot grant a role; a truncated page of such
      // a pattern can only lose one.
      return rolesFromMemberships(viewer.verifiedEmails, pages.flatMap((page) => page.entries));
    })();
    memo.set(memoKey, pending);
    pending.catch(() => memo.delete(memoKey));
  }
  return pending;
}

/**
 * Every membership of one address on one list: the one core call per verified address of
 * `resolveListRoles` (also sent ahead by the proxy, lib/lists/early-reads.ts).
 */
export function findRolesOf(client: MailmanClient, listId: string, email: string) {
  return client.findMembers({ listId, subscriber: email }, FIND_PAGE, ["email", "role"]);
}

export function forgetListRoles(targetId: number, listId: string): void {
  requestMemo().delete(key(targetId, listId));
}
