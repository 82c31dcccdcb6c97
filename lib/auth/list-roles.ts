import { cache } from "react";
import type { MailmanClient } from "@/lib/mailman";
import { rolesFromRosters, type ListRole } from "./roles";
import type { Viewer } from "./users";

/**
 * Per-request memo of role lookups, keyed by target and list. React's `cache` scopes the map to
 * one server request, so a role change made by Listkeeper is seen by the next request; within a
 * request, `forgetListRoles` drops the entry after Listkeeper itself changes a roster.
 */
const requestMemo = cache(() => new Map<string, Promise<Set<ListRole>>>());

const key = (targetId: number, listId: string) => `${targetId}\u0000${listId.toLowerCase()}`;

/**
 * Owner and moderator roles of `viewer` on one list: two core calls (the owner and moderator
 * rosters, e-mail field only) whatever the number of the viewer's addresses. Membership is only
 * looked up when `includeMember` is set (one `members/find` per verified address).
 */
export function resolveListRoles(
  client: MailmanClient,
  targetId: number,
  listId: string,
  viewer: Viewer,
  options: { includeMember?: boolean } = {},
): Promise<Set<ListRole>> {
  if (viewer.verifiedEmails.length === 0) return Promise.resolve(new Set());
  const memo = requestMemo();
  const memoKey = key(targetId, listId) + (options.includeMember ? "\u0000m" : "");
  let pending = memo.get(memoKey);
  if (!pending) {
    pending = (async () => {
      const [owners, moderators] = await Promise.all([
        client.fullRoster(listId, "owner", ["email"]),
        client.fullRoster(listId, "moderator", ["email"]),
      ]);
      const roles = rolesFromRosters(viewer.verifiedEmails, {
        owners: owners.map((m) => m.email ?? ""),
        moderators: moderators.map((m) => m.email ?? ""),
      });
      if (options.includeMember && roles.size === 0) {
        const found = await Promise.all(
          viewer.verifiedEmails.map((email) => client.findMembers({ listId, subscriber: email, role: "member" }, { count: 1, page: 1 }, ["email"])),
        );
        if (found.some((page) => page.total > 0)) roles.add("member");
      }
      return roles;
    })();
    memo.set(memoKey, pending);
    pending.catch(() => memo.delete(memoKey));
  }
  return pending;
}

export function forgetListRoles(targetId: number, listId: string): void {
  const memo = requestMemo();
  memo.delete(key(targetId, listId));
  memo.delete(key(targetId, listId) + "\u0000m");
}
