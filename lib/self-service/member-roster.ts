import { z } from "zod";
import { resolveListRoles } from "@/lib/auth/list-roles";
import type { Viewer } from "@/lib/auth/users";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import type { MailmanClient } from "@/lib/mailman";
import { getMember, getMemberPreferences } from "@/lib/mailman/members";
import { getLevelPreferences, systemPreferences, userIdOfLink } from "@/lib/mailman/users";
import { clientForTarget } from "@/lib/targets/targets";
import { queryId } from "@/lib/validation/ids";

/**
 * The roster as members see it (console.md §11 "Roster visibility honoured"): read-only, shown
 * when the list's `member_roster_visibility` lets the viewer see it ("public": anyone signed in,
 * "members": members, owners and moderators, "moderators": owners and moderators).
 *
 * A page costs a fixed number of core calls whatever the size of the list: the list's config,
 * the viewer's roles (one per verified address, skipped when the roster is public) and one page
 * of the roster as the core pages it. Whether a member lets their address show is a preference
 * resolved level by level (member → address → user → system; the core's effective-preferences
 * answer leaves `hide_address` out, console.md §4.3), which the core answers only one member at a
 * time, so a page never asks it for everyone: it shows names, and an address is looked up when
 * someone asks for that one member's address, and shown only when its member does not hide it.
 */

export const ROSTER_PAGE_SIZE = 50;

export interface RosterEntry {
  memberId: string;
  displayName: string;
}

export interface MemberRoster {
  listId: string;
  visibility: string;
  entries: RosterEntry[];
  total: number;
  page: number;
  pages: number;
}

async function requireRosterAccess(client: MailmanClient, viewer: Viewer, targetId: number, listId: string): Promise<string> {
  const config = await client.getListConfig(listId).catch(() => null);
  if (!config) throw new NotFoundError("There is no such list.");
  const visibility = String((config as Record<string, unknown>).member_roster_visibility ?? "moderators");
  if (viewer.isSuperuser || visibility === "public") return visibility;
  const roles = await resolveListRoles(client, targetId, listId, viewer);
  const allowed = (visibility === "members" && roles.size > 0) || (visibility === "moderators" && (roles.has("owner") || roles.has("moderator")));
  if (!allowed) throw new ForbiddenError("This list shows its members only to " + (visibility === "members" ? "its members." : "its owners and moderators."));
  return visibility;
}

export async function loadMemberRoster(viewer: Viewer, targetId: number, listId: string, page = 1): Promise<MemberRoster> {
  const { client } = await clientForTarget(targetId);
  const visibility = await requireRosterAccess(client, viewer, targetId, listId);
  const wanted = Number.isSafeInteger(page) && page > 0 ? page : 1;
  // Addresses are not even fetched: what is not read cannot be shown by mistake.
  const found = await client.roster(listId, "member", { count: ROSTER_PAGE_SIZE, page: wanted }, ["member_id", "display_name"]);
  const entries = found.entries.filter((m) => m.member_id).map((m) => ({ memberId: m.member_id!, displayName: m.display_name || "(no name)" }));
  return { listId, visibility, entries, total: found.total, page: wanted, pages: Math.max(1, Math.ceil(found.total / ROSTER_PAGE_SIZE)) };
}

export const revealAddressSchema = z.object({
  targetId: queryId,
  listId: z.string().min(1).max(320),
  memberId: z.string().regex(/^[0-9a-f]{32}$/i, "Not a membership id."),
});

/** One member's address, or null when they hide it (their effective `hide_address`). */
export async function revealMemberAddress(viewer: Viewer, input: z.input<typeof revealAddressSchema>): Promise<{ email: string | null }> {
  const { targetId, listId, memberId } = revealAddressSchema.parse(input);
  const { client } = await clientForTarget(targetId);
  await requireRosterAccess(client, viewer, targetId, listId);
  const member = await getMember(client, memberId);
  // Only a member of this list's roster: the id must not open other lists' or other roles' rows.
  if (!member || member.list_id !== listId || member.role !== "member" || !member.email) throw new NotFoundError("This member is not on the list any more.");
  let hide = (await getMemberPreferences(client, memberId)).hide_address;
  hide ??= (await getLevelPreferences(client, { kind: "address", email: member.email })).hide_address;
  if (hide == null && member.user) hide = (await getLevelPreferences(client, { kind: "user", userId: userIdOfLink(member.user) })).hide_address;
  hide ??= (await systemPreferences(client)).hide_address ?? true;
  return { email: hide ? null : member.email };
}
