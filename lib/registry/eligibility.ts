import { eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { emailAddresses, groupMemberships, groups, people, provisionerTargets } from "@/db/schema";
import type { GroupFact, PersonFact, TargetPolicy } from "@/lib/provisioning/desired";

/** Registry facts read inside a caller's transaction (the eligibility check of a preference). */

export { inGroup, personListEligible } from "@/lib/provisioning/desired";

export async function loadPeopleWith(tx: Pick<Db, "select">, ids: readonly number[]): Promise<PersonFact[]> {
  const rows = await tx.select().from(people).where(inArray(people.id, [...ids]));
  const addresses = await tx.select().from(emailAddresses).where(inArray(emailAddresses.personId, [...ids]));
  const memberships = await tx.select().from(groupMemberships).where(inArray(groupMemberships.personId, [...ids]));
  return rows.map((p) => ({
    id: p.id,
    status: p.status,
    displayName: p.displayName,
    deleted: p.deletedAt !== null,
    addresses: addresses.filter((a) => a.personId === p.id).map((a) => ({ id: Number(a.id), mail: a.mail, type: a.type })),
    memberships: memberships.filter((m) => m.personId === p.id),
  }));
}

export async function loadGroupsWith(tx: Pick<Db, "select">): Promise<Map<number, GroupFact>> {
  const rows = await tx.select().from(groups);
  return new Map(rows.map((g) => [g.id, { id: g.id, status: g.status, deleted: g.deletedAt !== null }]));
}

export async function targetPolicy(tx: Pick<Db, "select">, targetId: number): Promise<TargetPolicy> {
  const [t] = await tx.select().from(provisionerTargets).where(eq(provisionerTargets.id, targetId));
  return {
    provisionGroupId: t?.provisionGroupId ?? null,
    prefEmailType: t?.prefEmailType ?? null,
    unmanagedEmailMode: t?.unmanagedEmailMode ?? "remove",
    addressConflictMode: t?.addressConflictMode ?? "fail",
    userCreation: t?.userCreation ?? "lazy",
  };
}
