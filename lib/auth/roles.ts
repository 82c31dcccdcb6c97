/**
 * Pure role logic (console.md §6). Owner, moderator and member are derived from the memberships
 * of the viewer's *verified* addresses only; owners may do everything moderators may; superusers
 * may do everything.
 */
import type { MemberRole } from "@/lib/mailman/schemas";

export type ListRole = "owner" | "moderator" | "member";

export type ListCapability =
  /** See the list's summary page. */
  | "view"
  /** Held messages and subscription requests. */
  | "moderate"
  /** Settings, rosters, mass operations, bans, templates, deleting the list. */
  | "administer";

export interface ListAccessFacts {
  isSuperuser: boolean;
  roles: ReadonlySet<ListRole>;
  advertised: boolean;
}

/** One membership on a list, as `members/find` answers it (`fields=email&fields=role`). */
export interface ListMembership {
  email?: string;
  role?: MemberRole;
}

/**
 * The viewer's roles from memberships on one list: only those whose address is one of
 * `verifiedEmails` count (callers pass verified addresses only). A nonmember entry (a sender the
 * core has seen, or an address with a moderation rule) is no role.
 */
export function rolesFromMemberships(verifiedEmails: readonly string[], memberships: readonly ListMembership[]): Set<ListRole> {
  const mine = new Set(verifiedEmails.map((e) => e.toLowerCase()));
  const roles = new Set<ListRole>();
  for (const { email, role } of memberships) {
    if (!email || !mine.has(email.toLowerCase())) continue;
    if (role === "owner" || role === "moderator" || role === "member") roles.add(role);
  }
  return roles;
}

export function permits(facts: ListAccessFacts, capability: ListCapability): boolean {
  if (facts.isSuperuser) return true;
  const { roles } = facts;
  switch (capability) {
    case "administer":
      return roles.has("owner");
    case "moderate":
      return roles.has("owner") || roles.has("moderator");
    case "view":
      return facts.advertised || roles.size > 0;
  }
}

/** The strongest role, for display. */
export function highestRole(facts: ListAccessFacts): "superuser" | ListRole | "visitor" {
  if (facts.isSuperuser) return "superuser";
  if (facts.roles.has("owner")) return "owner";
  if (facts.roles.has("moderator")) return "moderator";
  if (facts.roles.has("member")) return "member";
  return "visitor";
}
