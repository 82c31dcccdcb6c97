import { ADDRESS_TYPE_ORDER, inGroup, personListEligible, preferredAddress, prefKey, type AddressFact, type GroupFact, type ListFact, type PersonFact, type TargetPolicy } from "@/lib/provisioning/desired";
import type { PlanStep } from "@/lib/provisioning/executor";

/**
 * The console's view of a dry-run plan (the executor's own `PlanStep`s): grouped per list and
 * role into addresses to add and remove, people whose Mailman user is created or updated, list
 * operations and conflicts, each with its reason in words, counts on top and paging. Pure: the
 * facts it explains with are read by lib/registry/preview.ts in the same (rolled-back)
 * transaction the plan was computed in, so the words describe the state the plan was made for.
 */

export interface PlanContext {
  lists: ReadonlyMap<number, ListFact & { mailmanListId: string | null; targetId: number }>;
  groups: ReadonlyMap<number, GroupFact & { name: string }>;
  people: ReadonlyMap<number, PersonFact>;
  /** Policy of each target, by target id. */
  policies: ReadonlyMap<number, TargetPolicy>;
  preferences: ReadonlyMap<string, boolean | null>;
  now: Date;
}

export interface PlanLine {
  op: string;
  email: string | null;
  personId: number | null;
  person: string | null;
  reason: string;
}

export interface PlanSection {
  key: string;
  emailListId: number | null;
  list: string;
  role: string;
  add: PlanLine[];
  remove: PlanLine[];
}

export interface PlanSummary {
  counts: { add: number; remove: number; update: number; createUser: number; deleteUser: number; list: number; conflict: number };
  sections: PlanSection[];
  createUsers: PlanLine[];
  updates: PlanLine[];
  deleteUsers: PlanLine[];
  listOps: PlanLine[];
  conflicts: PlanLine[];
}

const ROLE_GROUP = { member: "membersGroupId", owner: "adminsGroupId", moderator: "moderatorsGroupId" } as const;

function groupName(ctx: PlanContext, id: number | null): string {
  if (id === null) return "no group";
  return ctx.groups.get(id)?.name ?? `group ${id}`;
}

function personLabel(ctx: PlanContext, id: number | null | undefined): string | null {
  if (id === null || id === undefined) return null;
  const p = ctx.people.get(id);
  return p?.displayName || `person ${id}`;
}

function policyOfList(ctx: PlanContext, list: { targetId: number } | undefined): TargetPolicy | undefined {
  return list ? ctx.policies.get(list.targetId) : undefined;
}

/** Why this person should hold the role on the list, in words. */
export function addReason(step: PlanStep, ctx: PlanContext): string {
  const list = step.emailListId ? ctx.lists.get(step.emailListId) : undefined;
  const role = (step.role ?? "member") as keyof typeof ROLE_GROUP;
  if (!list) return "wanted on this list";
  if (list.membershipMode === "self_service" && role === "member") return "chose to subscribe (self-service)";
  const group = list[ROLE_GROUP[role]];
  const what = role === "member" ? "in" : `${role} through`;
  return `${what} ${groupName(ctx, group)}`;
}

/** Why a roster entry goes, in words: the diff's reason, explained with the registry's facts. */
export function removeReason(step: PlanStep, ctx: PlanContext): string {
  const list = step.emailListId ? ctx.lists.get(step.emailListId) : undefined;
  if (step.why === "unmanaged") return `unmanaged, remove mode (no registry person has this Mailman user)`;
  const person = step.personId ? ctx.people.get(step.personId) : undefined;
  const policy = policyOfList(ctx, list);
  if (step.why === "non_canonical") {
    const preferred = person && policy ? preferredAddress(person.addresses, policy.prefEmailType) : null;
    return preferred && preferred !== step.email?.toLowerCase() ? `old address: the preferred address is now ${preferred}` : "duplicate entry of the same person";
  }
  if (!list) return "the list is deleted";
  if (list.deleted) return "the list is deleted";
  if (list.status !== "active") return "the list is suspended";
  const role = (step.role ?? "member") as keyof typeof ROLE_GROUP;
  const world = { groups: ctx.groups, now: ctx.now, target: policy ?? { provisionGroupId: null, prefEmailType: null, unmanagedEmailMode: "remove" as const, addressConflictMode: "fail" as const, userCreation: "lazy" as const } };
  if (!person || person.deleted) return "the person was deleted";
  if (list.membershipMode === "self_service" && role === "member") {
    if (list.eligibilityGroupId !== null && !inGroup(person, list.eligibilityGroupId, world)) return `not in ${groupName(ctx, list.eligibilityGroupId)} any more (eligibility)`;
    if (ctx.preferences.get(prefKey(person.id, list.id)) === false) return "chose to unsubscribe (self-service)";
  } else {
    const groupId = list[ROLE_GROUP[role]];
    if (groupId === null) return `the ${role} role is no longer bound to a group`;
    const group = ctx.groups.get(groupId);
    if (!group || group.deleted) return `${groupName(ctx, groupId)} was deleted`;
    if (group.status !== "active") return `${group.name} is suspended`;
    const rows = person.memberships.filter((m) => m.groupId === groupId && m.member);
    if (rows.length === 0) return `not in ${group.name} any more`;
    if (!inGroup(person, groupId, world)) {
      const future = rows.some((m) => m.validFrom && m.validFrom.getTime() > ctx.now.getTime());
      return future ? `membership of ${group.name} not valid yet` : `membership of ${group.name} expired`;
    }
  }
  if (!personListEligible(person, world)) {
    if (world.target.provisionGroupId !== null && !inGroup(person, world.target.provisionGroupId, world)) return `not in ${groupName(ctx, world.target.provisionGroupId)} (the server's provision group)`;
    return `the person is ${person.status.replace("_", " ")}`;
  }
  if (!preferredAddress(person.addresses, world.target.prefEmailType)) return "the person has no address";
  return "no longer wanted on this list";
}

const UPDATE_WORDS: Record<string, (s: PlanStep) => string> = {
  add_address: (s) => `add address ${s.email} to the Mailman user`,
  absorb_user: (s) => s.reason,
  verify: (s) => `mark ${s.email} verified`,
  set_preferred: (s) => `preferred address becomes ${s.email}`,
  update_user: () => "display name changes",
  delete_address: (s) => `remove stale address ${s.email} (with its memberships on every list)`,
};

const LIST_WORDS: Record<string, (s: PlanStep) => string> = {
  create_domain: (s) => s.reason,
  create_list: (s) => `create Mailman list ${s.mailmanListId ?? ""}`.trim(),
  update_list: () => "description changes",
  delete_list: (s) => `delete Mailman list ${s.mailmanListId ?? ""} with all its members, settings and archives links`.trim(),
};

export function summarizePlan(steps: readonly PlanStep[], ctx: PlanContext): PlanSummary {
  const out: PlanSummary = {
    counts: { add: 0, remove: 0, update: 0, createUser: 0, deleteUser: 0, list: 0, conflict: 0 },
    sections: [],
    createUsers: [],
    updates: [],
    deleteUsers: [],
    listOps: [],
    conflicts: [],
  };
  const sections = new Map<string, PlanSection>();
  const section = (s: PlanStep) => {
    const key = `${s.emailListId ?? s.mailmanListId ?? "?"}:${s.role ?? "member"}`;
    let sec = sections.get(key);
    if (!sec) {
      const list = s.emailListId ? ctx.lists.get(s.emailListId) : undefined;
      sec = { key, emailListId: s.emailListId ?? null, list: list?.mailmanListId ?? s.mailmanListId ?? list?.name ?? "unknown list", role: s.role ?? "member", add: [], remove: [] };
      sections.set(key, sec);
    }
    return sec;
  };
  const line = (s: PlanStep, reason: string): PlanLine => ({ op: s.op, email: s.email ?? null, personId: s.personId ?? null, person: personLabel(ctx, s.personId), reason });
  for (const s of steps) {
    if (s.op === "subscribe") {
      section(s).add.push(line(s, addReason(s, ctx)));
      out.counts.add++;
    } else if (s.op === "unsubscribe") {
      section(s).remove.push(line(s, removeReason(s, ctx)));
      out.counts.remove++;
    } else if (s.op === "create_user") {
      out.createUsers.push(line(s, "no Mailman user yet"));
      out.counts.createUser++;
    } else if (s.op === "delete_user") {
      out.deleteUsers.push(line(s, "no longer provisioned on this server: the Mailman user and all its memberships go"));
      out.counts.deleteUser++;
    } else if (s.op === "conflict") {
      out.conflicts.push(line(s, s.reason));
      out.counts.conflict++;
    } else if (s.op in LIST_WORDS) {
      out.listOps.push(line(s, LIST_WORDS[s.op]!(s)));
      out.counts.list++;
    } else {
      out.updates.push(line(s, (UPDATE_WORDS[s.op] ?? ((x: PlanStep) => x.reason))(s)));
      out.counts.update++;
    }
  }
  out.sections = [...sections.values()].sort((a, b) => a.list.localeCompare(b.list) || roleOrder(a.role) - roleOrder(b.role));
  return out;
}

function roleOrder(role: string): number {
  return role === "owner" ? 0 : role === "moderator" ? 1 : 2;
}

export function isEmptySummary(s: PlanSummary): boolean {
  return Object.values(s.counts).every((n) => n === 0);
}

/** One page of a long part of the plan (1-based, clamped). */
export function pageOf<T>(items: readonly T[], page: number, perPage: number): { items: T[]; page: number; pageCount: number; total: number } {
  const pageCount = Math.max(1, Math.ceil(items.length / perPage));
  const p = Math.min(Math.max(1, Math.floor(page) || 1), pageCount);
  return { items: items.slice((p - 1) * perPage, p * perPage), page: p, pageCount, total: items.length };
}

/**
 * The §2.4 preferred address of a person on a server with `prefEmailType`, and why that one:
 * the same rule as desired.ts's `preferredAddress` (checked to agree), put in words.
 */
export function explainPreferred(addresses: readonly AddressFact[], prefEmailType: string | null): { id: number; email: string; why: string } | null {
  const email = preferredAddress(addresses, prefEmailType);
  if (!email) return null;
  const byId = [...addresses].sort((a, b) => a.id - b.id);
  const chosen = byId.find((a) => a.mail.toLowerCase() === email)!;
  const sameType = byId.filter((a) => a.type === chosen.type).length;
  const tie = sameType > 1 ? ` (the oldest of ${sameType} '${chosen.type}' addresses)` : "";
  if (prefEmailType && chosen.type === prefEmailType) return { id: chosen.id, email, why: `the server prefers type '${prefEmailType}'${tie}` };
  const rank = (ADDRESS_TYPE_ORDER as readonly string[]).indexOf(chosen.type);
  if (rank >= 0) {
    const order = ADDRESS_TYPE_ORDER.join(" > ");
    const missing = prefEmailType ? `no '${prefEmailType}' address; ` : "";
    return { id: chosen.id, email, why: `${missing}type '${chosen.type}' ranks first among this person's addresses (${order})${tie}` };
  }
  return { id: chosen.id, email, why: "no address has a ranked type: the oldest address" };
}
