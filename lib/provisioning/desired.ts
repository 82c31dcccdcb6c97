/**
 * The desired state of provisioning.md §8.1 and §8.6, as pure functions of registry facts and an
 * injectable clock. Every trigger (person, group, list, target, sweep, self-service) computes
 * what Mailman should hold through these functions, so COmanage's disagreement between person
 * and list syncs cannot happen here.
 */

export const PERSON_STATUSES = ["active", "grace_period", "suspended", "expired", "locked", "pending", "declined", "deleted", "duplicate"] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];
export type GovernedRole = "member" | "owner" | "moderator";
export const GOVERNED_ROLES: readonly GovernedRole[] = ["member", "owner", "moderator"];

/** Statuses whose Mailman user is kept (§7.1); only the first two also receive lists. */
const PROVISIONED_STATUSES: ReadonlySet<PersonStatus> = new Set(["active", "grace_period", "suspended", "expired", "locked"]);
const LIST_STATUSES: ReadonlySet<PersonStatus> = new Set(["active", "grace_period"]);

/** §2.4: list > delivery > preferred > forwarding > official > personal > recovery. */
export const ADDRESS_TYPE_ORDER = ["list", "delivery", "preferred", "forwarding", "official", "personal", "recovery"] as const;

export interface AddressFact {
  id: number;
  mail: string;
  type: string;
}

export interface MembershipFact {
  groupId: number;
  member: boolean;
  validFrom: Date | null;
  validThrough: Date | null;
}

export interface PersonFact {
  id: number;
  status: PersonStatus;
  displayName: string;
  deleted?: boolean;
  addresses: readonly AddressFact[];
  memberships: readonly MembershipFact[];
}

export interface GroupFact {
  id: number;
  status: "active" | "suspended";
  deleted: boolean;
}

export interface ListFact {
  id: number;
  name: string;
  status: "active" | "suspended";
  deleted?: boolean;
  membershipMode: "group" | "self_service";
  membersGroupId: number | null;
  adminsGroupId: number | null;
  moderatorsGroupId: number | null;
  eligibilityGroupId: number | null;
  /** The list has a Mailman list (a mapping) or is being provisioned now. */
  provisioned: boolean;
}

export interface TargetPolicy {
  provisionGroupId: number | null;
  prefEmailType: string | null;
  unmanagedEmailMode: "remove" | "ignore";
  addressConflictMode: "fail" | "adopt" | "absorb";
  userCreation: "lazy" | "all_active";
}

export interface World {
  now: Date;
  target: TargetPolicy;
  groups: ReadonlyMap<number, GroupFact>;
  /** Self-service preferences by `${personId}:${emailListId}`; absent = null. */
  preferences: ReadonlyMap<string, boolean | null>;
  /** People with an unresolved conflict on their preferred address: never desired (§8.1). */
  conflicted: ReadonlySet<number>;
}

export const prefKey = (personId: number, emailListId: number) => `${personId}:${emailListId}`;

export function validMembership(m: MembershipFact, groups: ReadonlyMap<number, GroupFact>, now: Date): boolean {
  if (!m.member) return false;
  if (m.validFrom && m.validFrom.getTime() > now.getTime()) return false;
  if (m.validThrough && m.validThrough.getTime() <= now.getTime()) return false;
  const group = groups.get(m.groupId);
  return Boolean(group && group.status === "active" && !group.deleted);
}

export function inGroup(p: PersonFact, groupId: number, world: Pick<World, "groups" | "now">): boolean {
  return p.memberships.some((m) => m.groupId === groupId && validMembership(m, world.groups, world.now));
}

export function personProvisionable(p: PersonFact, world: Pick<World, "groups" | "now" | "target">): boolean {
  if (p.deleted || !PROVISIONED_STATUSES.has(p.status)) return false;
  return world.target.provisionGroupId === null || inGroup(p, world.target.provisionGroupId, world);
}

export function personListEligible(p: PersonFact, world: Pick<World, "groups" | "now" | "target">): boolean {
  return personProvisionable(p, world) && LIST_STATUSES.has(p.status);
}

/** §2.4 with the target's `pref_email_type`; lower-cased; null when the person has no address. */
export function preferredAddress(addresses: readonly AddressFact[], prefEmailType: string | null): string | null {
  if (addresses.length === 0) return null;
  const byId = [...addresses].sort((a, b) => a.id - b.id);
  const pick = (type: string) => byId.find((a) => a.type === type);
  const chosen = (prefEmailType ? pick(prefEmailType) : undefined) ?? ADDRESS_TYPE_ORDER.map(pick).find(Boolean) ?? byId[0]!;
  return chosen.mail.toLowerCase();
}

export function governedRoles(list: ListFact): GovernedRole[] {
  const roles: GovernedRole[] = [];
  if (list.membersGroupId !== null || list.membershipMode === "self_service") roles.push("member");
  if (list.adminsGroupId !== null) roles.push("owner");
  if (list.moderatorsGroupId !== null) roles.push("moderator");
  return roles;
}

function roleGroup(list: ListFact, role: GovernedRole): number | null {
  return role === "member" ? list.membersGroupId : role === "owner" ? list.adminsGroupId : list.moderatorsGroupId;
}

export type PersonVerdict =
  | { kind: "desired"; email: string }
  | { kind: "not_desired" }
  /** In the governed group but cannot be provisioned: reported, never silently dropped. */
  | { kind: "no_address" }
  | { kind: "conflict" }
  /** Self-service with no preference: neither added nor removed (§8.6). */
  | { kind: "untouched" };

/** Whether `p` should hold `role` on `list` (§8.1 desired(L, r), §8.6 for self-service lists). */
export function verdict(p: PersonFact, list: ListFact, role: GovernedRole, world: World): PersonVerdict {
  if (!list.provisioned || list.deleted || list.status !== "active") return { kind: "not_desired" };
  if (!governedRoles(list).includes(role)) return { kind: "not_desired" };
  let wanted: boolean;
  if (list.membershipMode === "self_service" && role === "member") {
    const eligible = personListEligible(p, world) && (list.eligibilityGroupId === null || inGroup(p, list.eligibilityGroupId, world));
    const pref = world.preferences.get(prefKey(p.id, list.id)) ?? null;
    if (!eligible) return { kind: "not_desired" };
    if (pref === null) return { kind: "untouched" };
    wanted = pref;
  } else {
    const group = roleGroup(list, role);
    wanted = group !== null && inGroup(p, group, world) && personListEligible(p, world);
  }
  if (!wanted) return { kind: "not_desired" };
  if (world.conflicted.has(p.id)) return { kind: "conflict" };
  const email = preferredAddress(p.addresses, world.target.prefEmailType);
  return email ? { kind: "desired", email } : { kind: "no_address" };
}

export interface DesiredRoster {
  /** personId → the address the entry must be on. */
  desired: Map<number, string>;
  /** Managed people whose entries must stay as they are (self-service, no preference). */
  untouched: Set<number>;
  noAddress: number[];
  conflicts: number[];
}

export function desiredRoster(list: ListFact, role: GovernedRole, people: Iterable<PersonFact>, world: World): DesiredRoster {
  const out: DesiredRoster = { desired: new Map(), untouched: new Set(), noAddress: [], conflicts: [] };
  for (const p of people) {
    const v = verdict(p, list, role, world);
    if (v.kind === "desired") out.desired.set(p.id, v.email);
    else if (v.kind === "untouched") out.untouched.add(p.id);
    else if (v.kind === "no_address") out.noAddress.push(p.id);
    else if (v.kind === "conflict") out.conflicts.push(p.id);
  }
  return out;
}

/** §8.2 P3 step 1: does the person need a Mailman user at all? */
export function needsUser(p: PersonFact, world: World, wantsAnyList: boolean, mapped: boolean): "yes" | "no" {
  if (!personProvisionable(p, world)) return "no";
  if (mapped) return "yes";
  if (!wantsAnyList && world.target.userCreation !== "all_active") return "no";
  // Creation also requires an active person (CO-1758).
  return p.status === "active" ? "yes" : "no";
}
