import pLimit from "p-limit";
import { resolveListRoles } from "@/lib/auth/list-roles";
import type { Viewer } from "@/lib/auth/users";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { getMemberPreferences } from "@/lib/mailman/members";
import { getLevelPreferences, systemPreferences, userIdOfLink } from "@/lib/mailman/users";
import { clientForTarget } from "@/lib/targets/targets";

/**
 * The roster as members see it (console.md §11 "Roster visibility honoured"): read-only, shown
 * when the list's `member_roster_visibility` lets the viewer see it ("public": anyone signed in,
 * "members": members, owners and moderators, "moderators": owners and moderators). An address is
 * shown only when its member's effective `hide_address` is false; the core's effective-preferences
 * answer leaves that key out (console.md §4.3), so it is resolved here level by level, and on
 * large rosters (over ROSTER_ADDRESS_LIMIT) only names are shown.
 */

export const ROSTER_ADDRESS_LIMIT = 200;

export interface RosterEntry {
  displayName: string;
  /** Null when the member hides it (or the roster is too large to check). */
  email: string | null;
}

export interface MemberRoster {
  listId: string;
  visibility: string;
  entries: RosterEntry[];
  addressesChecked: boolean;
}

export async function loadMemberRoster(viewer: Viewer, targetId: number, listId: string): Promise<MemberRoster> {
  const { client } = await clientForTarget(targetId);
  const config = await client.getListConfig(listId).catch(() => null);
  if (!config) throw new NotFoundError("There is no such list.");
  const visibility = String((config as Record<string, unknown>).member_roster_visibility ?? "moderators");
  const roles = await resolveListRoles(client, targetId, listId, viewer);
  const allowed =
    viewer.isSuperuser ||
    visibility === "public" ||
    (visibility === "members" && roles.size > 0) ||
    (visibility === "moderators" && (roles.has("owner") || roles.has("moderator")));
  if (!allowed) throw new ForbiddenError("This list shows its members only to " + (visibility === "members" ? "its members." : "its owners and moderators."));
  const members = await client.fullRoster(listId, "member", ["member_id", "email", "display_name", "user"]);
  const checkAddresses = members.length <= ROSTER_ADDRESS_LIMIT;
  const system = checkAddresses ? await systemPreferences(client) : {};
  const limit = pLimit(4);
  const entries = await Promise.all(
    members.map((m) =>
      limit(async (): Promise<RosterEntry> => {
        const displayName = m.display_name || "(no name)";
        if (!checkAddresses || !m.member_id || !m.email) return { displayName, email: null };
        let hide = (await getMemberPreferences(client, m.member_id)).hide_address;
        hide ??= (await getLevelPreferences(client, { kind: "address", email: m.email })).hide_address;
        if (hide === undefined && m.user) hide = (await getLevelPreferences(client, { kind: "user", userId: userIdOfLink(m.user) })).hide_address;
        hide ??= system.hide_address ?? true;
        return { displayName, email: hide ? null : m.email };
      }),
    ),
  );
  entries.sort((a, b) => a.displayName.localeCompare(b.displayName));
  return { listId, visibility, entries, addressesChecked: checkAddresses };
}
