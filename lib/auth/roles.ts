/**
 * Pure role logic (console.md §6). Owner and moderator are derived from a list's rosters by the
 * viewer's *verified* addresses only; owners may do everything moderators may; superusers may do
 * everything.
 */
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

export function rolesFromRosters(
  verifiedEmails: readonly string[],
  rosters: { owners: readonly string[]; moderators: readonly string[]; members?: readonly string[] },
): Set<ListRole> {
  const mine = new Set(verifiedEmails.map((e) => e.toLowerCase()));
  const roles = new Set<ListRole>();
  const holds = (emails: readonly string[] | undefined) => (emails ?? []).some((e) => mine.has(e.toLowerCase()));
  if (holds(rosters.owners)) roles.add("owner");
  if (holds(rosters.moderators)) roles.add("moderator");
  if (holds(rosters.members)) roles.add("member");
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
