import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { coreUsers, emailAddresses, emailLists, groupMemberships, groups, listPreferences, people, provisionedLists, provisionerTargets, provisioningConflicts } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { prefKey, type GroupFact, type ListFact, type PersonFact, type TargetPolicy, type World } from "./desired";

/**
 * Registry facts for the pure reconciler (desired.ts), read in a few set-based queries: a list
 * of 10,000 people costs three statements, not 30,000.
 */

export type TargetRow = typeof provisionerTargets.$inferSelect;
export type CoreUserRow = typeof coreUsers.$inferSelect;
export type ListRow = typeof emailLists.$inferSelect;
export type ProvisionedListRow = typeof provisionedLists.$inferSelect;

export async function loadTarget(targetId: number): Promise<TargetRow> {
  const db = await getDb();
  const [row] = await db.select().from(provisionerTargets).where(eq(provisionerTargets.id, targetId));
  if (!row) throw new NotFoundError(`There is no Mailman server ${targetId}.`);
  return row;
}

export function policyOf(target: TargetRow): TargetPolicy {
  return {
    provisionGroupId: target.provisionGroupId,
    prefEmailType: target.prefEmailType,
    unmanagedEmailMode: target.unmanagedEmailMode,
    addressConflictMode: target.addressConflictMode,
    userCreation: target.userCreation,
  };
}

export async function loadGroups(): Promise<Map<number, GroupFact>> {
  const db = await getDb();
  const rows = await db.select({ id: groups.id, status: groups.status, deletedAt: groups.deletedAt }).from(groups);
  return new Map(rows.map((g) => [g.id, { id: g.id, status: g.status, deleted: g.deletedAt !== null }]));
}

export async function loadPeople(ids: readonly number[]): Promise<Map<number, PersonFact>> {
  const out = new Map<number, PersonFact>();
  if (ids.length === 0) return out;
  const db = await getDb();
  const unique = [...new Set(ids)];
  const rows = await db.select().from(people).where(inArray(people.id, unique));
  const addresses = await db
    .select({ id: emailAddresses.id, personId: emailAddresses.personId, mail: emailAddresses.mail, type: emailAddresses.type })
    .from(emailAddresses)
    .where(inArray(emailAddresses.personId, unique));
  const memberships = await db
    .select({
      personId: groupMemberships.personId,
      groupId: groupMemberships.groupId,
      member: groupMemberships.member,
      validFrom: groupMemberships.validFrom,
      validThrough: groupMemberships.validThrough,
    })
    .from(groupMemberships)
    .where(inArray(groupMemberships.personId, unique));
  for (const p of rows) {
    out.set(p.id, { id: p.id, status: p.status, displayName: p.displayName, deleted: p.deletedAt !== null, addresses: [], memberships: [] });
  }
  for (const a of addresses) (out.get(a.personId)?.addresses as unknown[] | undefined)?.push({ id: Number(a.id), mail: a.mail, type: a.type });
  for (const m of memberships) (out.get(m.personId)?.memberships as unknown[] | undefined)?.push(m);
  return out;
}

/** People with any membership row in these groups (validity is the reconciler's business). */
export async function peopleOfGroups(groupIds: readonly number[]): Promise<number[]> {
  if (groupIds.length === 0) return [];
  const db = await getDb();
  const rows = await db.selectDistinct({ id: groupMemberships.personId }).from(groupMemberships).where(inArray(groupMemberships.groupId, [...groupIds]));
  return rows.map((r) => r.id);
}

export interface TargetLists {
  lists: Map<number, ListFact>;
  rows: Map<number, ListRow>;
  mappings: Map<number, ProvisionedListRow>;
}

export async function loadLists(targetId: number, options: { includeDeleted?: boolean } = {}): Promise<TargetLists> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(emailLists)
    .where(and(eq(emailLists.targetId, targetId), options.includeDeleted ? undefined : isNull(emailLists.deletedAt)));
  const maps = await db.select().from(provisionedLists).where(eq(provisionedLists.targetId, targetId));
  const mappings = new Map(maps.map((m) => [m.emailListId, m]));
  const lists = new Map<number, ListFact>();
  for (const l of rows) lists.set(l.id, toListFact(l, mappings.has(l.id)));
  return { lists, rows: new Map(rows.map((r) => [r.id, r])), mappings };
}

export function toListFact(l: ListRow, provisioned: boolean): ListFact {
  return {
    id: l.id,
    name: l.name,
    status: l.status,
    deleted: l.deletedAt !== null,
    membershipMode: l.membershipMode,
    membersGroupId: l.membersGroupId,
    adminsGroupId: l.adminsGroupId,
    moderatorsGroupId: l.moderatorsGroupId,
    eligibilityGroupId: l.eligibilityGroupId,
    provisioned,
  };
}

export function boundGroups(list: ListFact): number[] {
  return [list.membersGroupId, list.adminsGroupId, list.moderatorsGroupId, list.eligibilityGroupId].filter((g): g is number => g !== null);
}

export async function loadPreferences(listIds: readonly number[], personIds?: readonly number[]): Promise<Map<string, boolean | null>> {
  if (listIds.length === 0) return new Map();
  const db = await getDb();
  const rows = await db
    .select()
    .from(listPreferences)
    .where(and(inArray(listPreferences.emailListId, [...listIds]), personIds ? inArray(listPreferences.personId, [...personIds, -1]) : undefined));
  return new Map(rows.map((r) => [prefKey(r.personId, r.emailListId), r.subscribed]));
}

export async function peopleWithPreferences(listId: number): Promise<number[]> {
  const db = await getDb();
  const rows = await db.select({ id: listPreferences.personId }).from(listPreferences).where(eq(listPreferences.emailListId, listId));
  return rows.map((r) => r.id);
}

/** People with an open conflict on their preferred address: not desired anywhere (§8.1). */
export async function loadConflicted(targetId: number): Promise<Set<number>> {
  const db = await getDb();
  const rows = await db
    .selectDistinct({ id: provisioningConflicts.personId })
    .from(provisioningConflicts)
    .where(
      and(
        eq(provisioningConflicts.targetId, targetId),
        isNull(provisioningConflicts.resolvedAt),
        or(eq(provisioningConflicts.kind, "preferred_owned_by_person"), eq(provisioningConflicts.kind, "preferred_owned_by_unmapped")),
      ),
    );
  return new Set(rows.map((r) => r.id));
}

export async function loadCoreUsers(targetId: number): Promise<CoreUserRow[]> {
  const db = await getDb();
  return db.select().from(coreUsers).where(eq(coreUsers.targetId, targetId));
}

export async function coreUserOfPerson(targetId: number, personId: number): Promise<CoreUserRow | null> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(coreUsers)
    .where(and(eq(coreUsers.targetId, targetId), eq(coreUsers.personId, personId)));
  return row ?? null;
}

export async function buildWorld(target: TargetRow, extra: { listIds: readonly number[]; personIds?: readonly number[]; now?: Date }): Promise<World> {
  return {
    now: extra.now ?? new Date(),
    target: policyOf(target),
    groups: await loadGroups(),
    preferences: await loadPreferences(extra.listIds, extra.personIds),
    conflicted: await loadConflicted(target.id),
  };
}

export async function touchListSynced(mappingId: number, result: string): Promise<void> {
  const db = await getDb();
  await db.update(provisionedLists).set({ lastSyncedAt: sql`now()`, lastResult: result }).where(eq(provisionedLists.id, mappingId));
}
