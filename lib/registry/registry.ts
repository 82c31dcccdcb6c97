import { AsyncLocalStorage } from "node:async_hooks";
import { and, asc, eq, ilike, inArray, isNull, or, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { isUniqueViolation } from "@/db/unique-violation";
import { coreUsers, emailAddresses, emailLists, groupMemberships, groups, listPreferences, people, provisionedLists, provisionerTargets, provisioningConflicts } from "@/db/schema";
import { allowedConflictActions } from "@/lib/provisioning/sync-summary";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { inGroup, loadGroupsWith, loadPeopleWith, personListEligible, targetPolicy } from "./eligibility";
import { dispatch, jobsToQueue, queueJobs } from "@/lib/provisioning/enqueue";
import type { NewProvisioningJob } from "@/lib/provisioning/job-store";
import type { z } from "zod";
import {
  emailInput,
  emailListCreateInput,
  emailListUpdateInput,
  emailPatchInput,
  groupCreateInput,
  groupUpdateInput,
  membershipInput,
  type PersonCreateInput,
  type PersonUpdateInput,
} from "./inputs";

/**
 * Registry changes (people, addresses, groups, memberships, email lists, self-service
 * preferences). Each change and the provisioning jobs it triggers (provisioning.md §8.3) commit
 * in one transaction; the answer carries the job ids (api-v1.md "Jobs").
 */

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export interface Changed<T> {
  value: T;
  jobIds: number[];
}

/** Set while `previewJobs` runs: changes record the jobs they would queue instead of queueing. */
const previewing = new AsyncLocalStorage<{ jobs: NewProvisioningJob[] }>();

async function change<T>(fn: (tx: Tx) => Promise<{ value: T; jobs: NewProvisioningJob[]; explicit?: boolean }>): Promise<Changed<T>> {
  const preview = previewing.getStore();
  if (preview) {
    // A preview runs inside a transaction its caller rolls back (lib/registry/preview.ts, which
    // scopes getDb() to it): the change is made there, its jobs are only recorded, nothing is
    // queued or sent to a worker.
    const tx = (await getDb()) as unknown as Tx;
    const out = await fn(tx);
    preview.jobs.push(...(await jobsToQueue(out.jobs, { explicit: out.explicit, executor: tx })));
    return { value: out.value, jobIds: [] };
  }
  const db = await getDb();
  const { value, jobIds } = await db.transaction(async (tx) => {
    const out = await fn(tx);
    return { value: out.value, jobIds: await queueJobs(out.jobs, { executor: tx, explicit: out.explicit }) };
  });
  await dispatch(jobIds).catch(() => {
    // The worker's poll finds committed jobs anyway.
  });
  return { value, jobIds };
}

/**
 * Runs registry changes in preview mode: they write through `getDb()` as usual (the caller has
 * scoped it to a transaction it will roll back) and the jobs they would queue, after the target's
 * mode decided, are returned instead of queued.
 */
export async function previewJobs<T>(mutation: () => Promise<T>): Promise<{ value: T; jobs: NewProvisioningJob[] }> {
  const store = { jobs: [] as NewProvisioningJob[] };
  const value = await previewing.run(store, mutation);
  return { value, jobs: store.jobs };
}

// People ---------------------------------------------------------------------------------------

export interface PersonView {
  id: number;
  displayName: string;
  givenName: string;
  familyName: string;
  status: string;
  externalId: string | null;
  emails: { id: number; address: string; type: string; verified: boolean }[];
}

async function personView(tx: Pick<Db, "select" | "selectDistinct">, id: number): Promise<PersonView> {
  const [p] = await tx
    .select()
    .from(people)
    .where(and(eq(people.id, id), isNull(people.deletedAt)));
  if (!p) throw new NotFoundError(`There is no person ${id}.`);
  const emails = await tx.select().from(emailAddresses).where(eq(emailAddresses.personId, id)).orderBy(asc(emailAddresses.id));
  return {
    id: p.id,
    displayName: p.displayName,
    givenName: p.givenName,
    familyName: p.familyName,
    status: p.status,
    externalId: p.externalId,
    emails: emails.map((e) => ({ id: Number(e.id), address: e.mail, type: e.type, verified: e.verified })),
  };
}

export async function getPerson(id: number): Promise<PersonView> {
  return personView(await getDb(), id);
}

export async function findPeople(filter: { email?: string; externalId?: string; q?: string; status?: (typeof people.$inferSelect)["status"]; page: number; perPage: number }) {
  const db = await getDb();
  const where = and(
    isNull(people.deletedAt),
    filter.status ? eq(people.status, filter.status) : undefined,
    filter.externalId ? eq(people.externalId, filter.externalId) : undefined,
    filter.email ? sql`exists (select 1 from email_addresses e where e.person_id = ${people.id} and e.mail_norm = ${filter.email.toLowerCase()})` : undefined,
    filter.q ? or(ilike(people.displayName, `%${filter.q.replace(/[%_\\]/g, "\\$&")}%`), sql`exists (select 1 from email_addresses e where e.person_id = ${people.id} and e.mail_norm like ${`%${filter.q.toLowerCase().replace(/[%_\\]/g, "\\$&")}%`})`) : undefined,
  );
  const rows = await db
    .select({ id: people.id })
    .from(people)
    .where(where)
    .orderBy(asc(people.id))
    .limit(filter.perPage)
    .offset((filter.page - 1) * filter.perPage);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(people).where(where);
  return { items: await Promise.all(rows.map((r) => personView(db, r.id))), total: Number(count?.n ?? 0) };
}

/** Targets a change to this person can concern: those with lists, or with the person mapped. */
async function personTargets(tx: Pick<Db, "select" | "selectDistinct">, personId: number): Promise<number[]> {
  const withLists = await tx.selectDistinct({ id: emailLists.targetId }).from(emailLists).where(isNull(emailLists.deletedAt));
  const mapped = await tx.selectDistinct({ id: coreUsers.targetId }).from(coreUsers).where(eq(coreUsers.personId, personId));
  return [...new Set([...withLists, ...mapped].map((r) => r.id))].sort((a, b) => a - b);
}

async function personJobs(tx: Pick<Db, "select" | "selectDistinct">, personId: number, action = "sync", options: Record<string, unknown> = {}): Promise<NewProvisioningJob[]> {
  return (await personTargets(tx, personId)).map((targetId) => ({ targetId, subjectType: "person" as const, subjectId: personId, action, options }));
}

function emailConflict(error: unknown): never {
  if (isUniqueViolation(error, "email_addresses_person_mail_key")) throw new ConflictError("The person already has that address.", { field: "emails" });
  if (isUniqueViolation(error, "people_external_id_key")) throw new ConflictError("Another person has that externalId.", { field: "externalId" });
  throw error;
}

export async function createPerson(input: PersonCreateInput, actor?: string | null): Promise<Changed<PersonView>> {
  return change(async (tx) => {
    try {
      const [p] = await tx
        .insert(people)
        .values({ displayName: input.displayName, givenName: input.givenName, familyName: input.familyName, status: input.status, externalId: input.externalId })
        .returning({ id: people.id });
      // In array order, so ids ascend as given (the lowest id wins ties, §2.4).
      for (const e of input.emails) await tx.insert(emailAddresses).values({ personId: p!.id, mail: e.address, type: e.type, verified: e.verified });
      return { value: await personView(tx, p!.id), jobs: (await personJobs(tx, p!.id)).map((j) => ({ ...j, requestedBy: actor ?? null })) };
    } catch (error) {
      emailConflict(error);
    }
  });
}

export async function updatePerson(id: number, input: PersonUpdateInput, actor?: string | null): Promise<Changed<PersonView>> {
  return change(async (tx) => {
    await personView(tx, id);
    const patch: Partial<typeof people.$inferInsert> = {};
    for (const key of ["displayName", "givenName", "familyName", "status", "externalId"] as const) if (input[key] !== undefined) (patch as Record<string, unknown>)[key] = input[key];
    try {
      if (Object.keys(patch).length > 0) await tx.update(people).set({ ...patch, updatedAt: sql`now()` }).where(eq(people.id, id));
      if (input.emails) await replaceEmails(tx, id, input.emails);
    } catch (error) {
      emailConflict(error);
    }
    return { value: await personView(tx, id), jobs: (await personJobs(tx, id)).map((j) => ({ ...j, requestedBy: actor ?? null })) };
  });
}

/** PATCH with `emails` replaces the set: with an id kept (and edited), without added, the rest removed. */
async function replaceEmails(tx: Tx, personId: number, emails: z.infer<typeof emailInput>[]) {
  const current = await tx.select().from(emailAddresses).where(eq(emailAddresses.personId, personId));
  const keep = new Set(emails.filter((e) => e.id).map((e) => e.id!));
  for (const e of emails.filter((x) => x.id)) {
    if (!current.some((c) => Number(c.id) === e.id)) throw new InvalidInputError(`Address ${e.id} is not this person's.`, { field: "emails" });
  }
  const gone = current.filter((c) => !keep.has(Number(c.id))).map((c) => c.id);
  if (gone.length > 0) await tx.delete(emailAddresses).where(inArray(emailAddresses.id, gone));
  for (const e of emails) {
    if (e.id) await tx.update(emailAddresses).set({ mail: e.address, type: e.type, verified: e.verified, updatedAt: sql`now()` }).where(eq(emailAddresses.id, e.id));
    else await tx.insert(emailAddresses).values({ personId, mail: e.address, type: e.type, verified: e.verified });
  }
}

export async function deletePerson(id: number, actor?: string | null): Promise<Changed<null>> {
  return change(async (tx) => {
    await personView(tx, id);
    const targets = await tx.selectDistinct({ id: coreUsers.targetId }).from(coreUsers).where(eq(coreUsers.personId, id));
    await tx.update(people).set({ status: "deleted", deletedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(people.id, id));
    return { value: null, jobs: targets.map((t) => ({ targetId: t.id, subjectType: "person" as const, subjectId: id, action: "delete", requestedBy: actor ?? null })) };
  });
}

export async function addEmail(personId: number, input: z.infer<typeof emailInput>): Promise<Changed<PersonView>> {
  return change(async (tx) => {
    await personView(tx, personId);
    try {
      await tx.insert(emailAddresses).values({ personId, mail: input.address, type: input.type, verified: input.verified });
    } catch (error) {
      emailConflict(error);
    }
    return { value: await personView(tx, personId), jobs: await personJobs(tx, personId) };
  });
}

export async function patchEmail(personId: number, emailId: number, input: z.infer<typeof emailPatchInput>): Promise<Changed<PersonView>> {
  return change(async (tx) => {
    const rows = await tx
      .update(emailAddresses)
      .set({ ...(input.address ? { mail: input.address } : {}), ...(input.type ? { type: input.type } : {}), ...(input.verified !== undefined ? { verified: input.verified } : {}), updatedAt: sql`now()` })
      .where(and(eq(emailAddresses.id, emailId), eq(emailAddresses.personId, personId)))
      .returning({ id: emailAddresses.id });
    if (rows.length === 0) throw new NotFoundError(`Person ${personId} has no address ${emailId}.`);
    return { value: await personView(tx, personId), jobs: await personJobs(tx, personId) };
  });
}

export async function deleteEmail(personId: number, emailId: number): Promise<Changed<PersonView>> {
  return change(async (tx) => {
    const rows = await tx
      .delete(emailAddresses)
      .where(and(eq(emailAddresses.id, emailId), eq(emailAddresses.personId, personId)))
      .returning({ id: emailAddresses.id });
    if (rows.length === 0) throw new NotFoundError(`Person ${personId} has no address ${emailId}.`);
    return { value: await personView(tx, personId), jobs: await personJobs(tx, personId) };
  });
}

/** Manual provision (P5 ignoring the sync hash), on one target or all. */
export async function provisionPerson(personId: number, targetId?: number): Promise<Changed<null>> {
  return change(async (tx) => {
    await personView(tx, personId);
    const targets = targetId ? [targetId] : await personTargets(tx, personId);
    return { value: null, explicit: true, jobs: targets.map((t) => ({ targetId: t, subjectType: "person" as const, subjectId: personId, action: "provision" })) };
  });
}

// Groups ---------------------------------------------------------------------------------------

export type GroupView = { id: number; name: string; description: string; status: string; externalId: string | null };
const toGroupView = (g: typeof groups.$inferSelect): GroupView => ({ id: g.id, name: g.name, description: g.description, status: g.status, externalId: g.externalId });

export async function getGroup(id: number, tx?: Pick<Db, "select" | "selectDistinct">): Promise<GroupView> {
  const db = tx ?? (await getDb());
  const [g] = await db
    .select()
    .from(groups)
    .where(and(eq(groups.id, id), isNull(groups.deletedAt)));
  if (!g) throw new NotFoundError(`There is no group ${id}.`);
  return toGroupView(g);
}

export async function listGroups(page: number, perPage: number) {
  const db = await getDb();
  const rows = await db.select().from(groups).where(isNull(groups.deletedAt)).orderBy(asc(groups.id)).limit(perPage).offset((page - 1) * perPage);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(groups).where(isNull(groups.deletedAt));
  return { items: rows.map(toGroupView), total: Number(count?.n ?? 0) };
}

function groupConflict(error: unknown): never {
  if (isUniqueViolation(error)) throw new ConflictError("A group with that name or externalId exists.", { field: "name" });
  throw error;
}

/** Lists of any target binding the group in any role: their P4 on a status change or delete. */
async function groupJobs(tx: Pick<Db, "select" | "selectDistinct">, groupId: number): Promise<NewProvisioningJob[]> {
  const rows = await tx
    .selectDistinct({ targetId: emailLists.targetId })
    .from(emailLists)
    .where(
      and(
        isNull(emailLists.deletedAt),
        or(eq(emailLists.membersGroupId, groupId), eq(emailLists.adminsGroupId, groupId), eq(emailLists.moderatorsGroupId, groupId), eq(emailLists.eligibilityGroupId, groupId)),
      ),
    );
  return rows.map((r) => ({ targetId: r.targetId, subjectType: "group" as const, subjectId: groupId, action: "sync" }));
}

export async function createGroup(input: z.infer<typeof groupCreateInput>): Promise<Changed<GroupView>> {
  return change(async (tx) => {
    try {
      const [g] = await tx.insert(groups).values(input).returning();
      return { value: toGroupView(g!), jobs: [] };
    } catch (error) {
      groupConflict(error);
    }
  });
}

export async function updateGroup(id: number, input: z.infer<typeof groupUpdateInput>): Promise<Changed<GroupView>> {
  return change(async (tx) => {
    const before = await getGroup(id, tx);
    try {
      const [g] = await tx.update(groups).set({ ...input, updatedAt: sql`now()` }).where(eq(groups.id, id)).returning();
      // Name and description reach no list; a status change re-evaluates every bound list.
      return { value: toGroupView(g!), jobs: input.status && input.status !== before.status ? await groupJobs(tx, id) : [] };
    } catch (error) {
      groupConflict(error);
    }
  });
}

export async function deleteGroup(id: number): Promise<Changed<null>> {
  return change(async (tx) => {
    await getGroup(id, tx);
    await tx.update(groups).set({ deletedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(groups.id, id));
    return { value: null, jobs: await groupJobs(tx, id) };
  });
}

export type MembershipView = { personId: number; member: boolean; owner: boolean; validFrom: string | null; validThrough: string | null };

export async function groupMembers(groupId: number): Promise<MembershipView[]> {
  const db = await getDb();
  await getGroup(groupId, db);
  const rows = await db.select().from(groupMemberships).where(eq(groupMemberships.groupId, groupId)).orderBy(asc(groupMemberships.personId));
  return rows.map((m) => ({ personId: m.personId, member: m.member, owner: m.owner, validFrom: m.validFrom?.toISOString() ?? null, validThrough: m.validThrough?.toISOString() ?? null }));
}

async function membershipJobs(tx: Pick<Db, "select" | "selectDistinct">, groupId: number, personId: number): Promise<NewProvisioningJob[]> {
  const targets = new Set((await groupJobs(tx, groupId)).map((j) => j.targetId));
  // The provision group of a target concerns its every list.
  const mapped = await tx.selectDistinct({ id: coreUsers.targetId }).from(coreUsers).where(eq(coreUsers.personId, personId));
  mapped.forEach((m) => targets.add(m.id));
  return [...targets].map((targetId) => ({ targetId, subjectType: "person" as const, subjectId: personId, action: "sync" }));
}

export async function putMembership(groupId: number, personId: number, input: z.infer<typeof membershipInput>): Promise<Changed<MembershipView>> {
  return change(async (tx) => {
    await getGroup(groupId, tx);
    await personView(tx, personId);
    const values = {
      member: input.member,
      owner: input.owner,
      validFrom: input.validFrom ? new Date(input.validFrom) : null,
      validThrough: input.validThrough ? new Date(input.validThrough) : null,
    };
    await tx
      .insert(groupMemberships)
      .values({ groupId, personId, source: "manual", ...values })
      .onConflictDoUpdate({ target: [groupMemberships.groupId, groupMemberships.personId, groupMemberships.source], set: { ...values, updatedAt: sql`now()` } });
    return {
      value: { personId, member: values.member, owner: values.owner, validFrom: values.validFrom?.toISOString() ?? null, validThrough: values.validThrough?.toISOString() ?? null },
      jobs: await membershipJobs(tx, groupId, personId),
    };
  });
}

export async function deleteMembership(groupId: number, personId: number): Promise<Changed<null>> {
  return change(async (tx) => {
    const rows = await tx
      .delete(groupMemberships)
      .where(and(eq(groupMemberships.groupId, groupId), eq(groupMemberships.personId, personId)))
      .returning({ id: groupMemberships.id });
    if (rows.length === 0) throw new NotFoundError(`Person ${personId} is not in group ${groupId}.`);
    return { value: null, jobs: await membershipJobs(tx, groupId, personId) };
  });
}

// Email lists ----------------------------------------------------------------------------------

export type EmailListView = {
  id: number;
  targetId: number;
  name: string;
  description: string;
  status: string;
  membershipMode: string;
  membersGroupId: number | null;
  adminsGroupId: number | null;
  moderatorsGroupId: number | null;
  eligibilityGroupId: number | null;
  mailmanListId: string | null;
};

export async function getEmailList(id: number, tx?: Pick<Db, "select" | "selectDistinct">): Promise<EmailListView> {
  const db = tx ?? (await getDb());
  const [row] = await db
    .select({ l: emailLists, mailmanListId: provisionedLists.mailmanListId })
    .from(emailLists)
    .leftJoin(provisionedLists, eq(provisionedLists.emailListId, emailLists.id))
    .where(and(eq(emailLists.id, id), isNull(emailLists.deletedAt)));
  if (!row) throw new NotFoundError(`There is no email list ${id}.`);
  const l = row.l;
  return {
    id: l.id,
    targetId: l.targetId,
    name: l.name,
    description: l.description,
    status: l.status,
    membershipMode: l.membershipMode,
    membersGroupId: l.membersGroupId,
    adminsGroupId: l.adminsGroupId,
    moderatorsGroupId: l.moderatorsGroupId,
    eligibilityGroupId: l.eligibilityGroupId,
    mailmanListId: row.mailmanListId ?? null,
  };
}

export async function listEmailLists(page: number, perPage: number) {
  const db = await getDb();
  const rows = await db.select({ id: emailLists.id }).from(emailLists).where(isNull(emailLists.deletedAt)).orderBy(asc(emailLists.id)).limit(perPage).offset((page - 1) * perPage);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(emailLists).where(isNull(emailLists.deletedAt));
  return { items: await Promise.all(rows.map((r) => getEmailList(r.id, db))), total: Number(count?.n ?? 0) };
}

async function checkGroups(tx: Pick<Db, "select" | "selectDistinct">, input: Partial<Record<"membersGroupId" | "adminsGroupId" | "moderatorsGroupId" | "eligibilityGroupId", number | null>>) {
  for (const key of ["membersGroupId", "adminsGroupId", "moderatorsGroupId", "eligibilityGroupId"] as const) {
    const id = input[key];
    if (id) await getGroup(id, tx).catch(() => Promise.reject(new InvalidInputError(`There is no group ${id}.`, { field: key })));
  }
}

function listConflict(error: unknown): never {
  if (isUniqueViolation(error)) throw new ConflictError("The server already has an email list of that name.", { field: "name" });
  throw error;
}

export async function createEmailList(input: z.infer<typeof emailListCreateInput>): Promise<Changed<EmailListView>> {
  return change(async (tx) => {
    await checkGroups(tx, input);
    try {
      const [l] = await tx.insert(emailLists).values(input).returning({ id: emailLists.id });
      return { value: await getEmailList(l!.id, tx), jobs: [{ targetId: input.targetId, subjectType: "list" as const, subjectId: l!.id, action: "provision" }] };
    } catch (error) {
      listConflict(error);
    }
  });
}

export async function updateEmailList(id: number, input: z.infer<typeof emailListUpdateInput>): Promise<Changed<EmailListView>> {
  return change(async (tx) => {
    const before = await getEmailList(id, tx);
    if (input.name !== undefined && input.name !== before.name && before.mailmanListId) {
      throw new ConflictError("A provisioned list cannot be renamed: Mailman 3 cannot rename lists.", { field: "name" });
    }
    await checkGroups(tx, input);
    try {
      await tx.update(emailLists).set({ ...input, updatedAt: sql`now()` }).where(eq(emailLists.id, id));
    } catch (error) {
      listConflict(error);
    }
    const after = await getEmailList(id, tx);
    const onlyDescription = Object.keys(input).every((k) => k === "description" || (input as Record<string, unknown>)[k] === (before as Record<string, unknown>)[k]);
    const changed = Object.keys(input).some((k) => (input as Record<string, unknown>)[k] !== (before as Record<string, unknown>)[k]);
    const action = !changed ? null : onlyDescription ? "describe" : "sync";
    return { value: after, jobs: action ? [{ targetId: before.targetId, subjectType: "list" as const, subjectId: id, action }] : [] };
  });
}

export async function deleteEmailList(id: number): Promise<Changed<null>> {
  return change(async (tx) => {
    const before = await getEmailList(id, tx);
    await tx.update(emailLists).set({ deletedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(emailLists.id, id));
    return { value: null, jobs: before.mailmanListId ? [{ targetId: before.targetId, subjectType: "list" as const, subjectId: id, action: "delete" }] : [] };
  });
}

export async function provisionEmailList(id: number): Promise<Changed<null>> {
  return change(async (tx) => {
    const l = await getEmailList(id, tx);
    return { value: null, explicit: true, jobs: [{ targetId: l.targetId, subjectType: "list" as const, subjectId: id, action: "provision" }] };
  });
}

// Self-service preferences (§8.6) --------------------------------------------------------------

export async function setPreference(emailListId: number, personId: number, subscribed: boolean | null, source: "user" | "admin" | "init" = "admin"): Promise<Changed<{ subscribed: boolean | null }>> {
  return change(async (tx) => {
    const list = await getEmailList(emailListId, tx);
    if (list.membershipMode !== "self_service") throw new ConflictError("Only self-service lists take preferences.");
    await personView(tx, personId);
    // Outside the eligibility group → refused, whoever asks, and nothing is stored.
    const eligible = await personEligibleFor(tx, personId, list);
    if (!eligible) throw new ForbiddenError("This person may not join this list.");
    await tx
      .insert(listPreferences)
      .values({ personId, emailListId, subscribed, source })
      .onConflictDoUpdate({ target: [listPreferences.personId, listPreferences.emailListId], set: { subscribed, source, updatedAt: sql`now()` } });
    return { value: { subscribed }, jobs: [{ targetId: list.targetId, subjectType: "person" as const, subjectId: personId, action: "sync", options: { onlyListId: emailListId } }] };
  });
}

async function personEligibleFor(tx: Pick<Db, "select" | "selectDistinct">, personId: number, list: EmailListView): Promise<boolean> {
  const [person] = await loadPeopleWith(tx, [personId]);
  if (!person) return false;
  const world = { now: new Date(), groups: await loadGroupsWith(tx), target: await targetPolicy(tx, list.targetId) };
  return personListEligible(person, world) && (list.eligibilityGroupId === null || inGroup(person, list.eligibilityGroupId, world));
}

export async function listPreferencesOf(emailListId: number) {
  const db = await getDb();
  await getEmailList(emailListId, db);
  const rows = await db.select().from(listPreferences).where(eq(listPreferences.emailListId, emailListId)).orderBy(asc(listPreferences.personId));
  return rows.map((r) => ({ personId: r.personId, subscribed: r.subscribed, source: r.source, updatedAt: r.updatedAt.toISOString() }));
}


// Provisioning state of people, conflicts --------------------------------------------------------

export async function personTargetIds(personId: number): Promise<number[]> {
  return personTargets(await getDb(), personId);
}

/** People whose addresses include one of these verified account addresses (api-v1.md "/me"). */
export async function peopleOfViewer(verifiedEmails: readonly string[]): Promise<number[]> {
  if (verifiedEmails.length === 0) return [];
  const db = await getDb();
  const rows = await db
    .selectDistinct({ id: emailAddresses.personId })
    .from(emailAddresses)
    .innerJoin(people, eq(people.id, emailAddresses.personId))
    .where(and(inArray(emailAddresses.mailNorm, verifiedEmails.map((e) => e.toLowerCase())), isNull(people.deletedAt)));
  return rows.map((r) => r.id);
}

function conflictView(c: typeof provisioningConflicts.$inferSelect) {
  return {
    id: c.id,
    targetId: c.targetId,
    personId: c.personId,
    email: c.email,
    kind: c.kind,
    mailmanUserId: c.mailmanUserId,
    message: c.message,
    createdAt: c.createdAt.toISOString(),
    resolvedAt: c.resolvedAt?.toISOString() ?? null,
    resolution: c.resolution,
    resolvedBy: c.resolvedBy,
  };
}

export async function personProvisioning(personId: number) {
  const db = await getDb();
  await personView(db, personId);
  const targets = await personTargets(db, personId);
  const mappings = await db.select().from(coreUsers).where(eq(coreUsers.personId, personId));
  const conflicts = await db
    .select()
    .from(provisioningConflicts)
    .where(and(eq(provisioningConflicts.personId, personId), isNull(provisioningConflicts.resolvedAt)));
  return {
    targets: targets.map((targetId) => {
      const m = mappings.find((r) => r.targetId === targetId);
      return {
        targetId,
        mailmanUserId: m?.mailmanUserId ?? null,
        lastSyncedAt: m?.lastSyncedAt?.toISOString() ?? null,
        conflicts: conflicts.filter((c) => c.targetId === targetId).map(conflictView),
      };
    }),
  };
}

export async function listConflicts(filter: { targetId?: number; open?: boolean }) {
  const db = await getDb();
  const rows = await db
    .select()
    .from(provisioningConflicts)
    .where(
      and(
        filter.targetId !== undefined ? eq(provisioningConflicts.targetId, filter.targetId) : undefined,
        filter.open === true ? isNull(provisioningConflicts.resolvedAt) : filter.open === false ? sql`${provisioningConflicts.resolvedAt} is not null` : undefined,
      ),
    )
    .orderBy(asc(provisioningConflicts.id));
  return rows.map(conflictView);
}

/**
 * Resolves a conflict (§8.5): `ignore` closes it; `adopt` and `absorb` close it and provision the
 * person again with that conflict mode for this run only.
 */
export async function resolveConflict(id: number, action: "adopt" | "absorb" | "ignore", actor?: string | null) {
  const result = await change(async (tx) => {
    const [c] = await tx.select().from(provisioningConflicts).where(eq(provisioningConflicts.id, id));
    if (!c) throw new NotFoundError(`There is no conflict ${id}.`);
    if (c.resolvedAt) throw new ConflictError("This conflict is already resolved.");
    const [target] = await tx.select({ mode: provisionerTargets.mode }).from(provisionerTargets).where(eq(provisionerTargets.id, c.targetId));
    const allowed = allowedConflictActions(c.kind, target?.mode ?? "disabled");
    if (!allowed.includes(action)) throw new ConflictError(`This conflict cannot be resolved by "${action}" here; allowed: ${allowed.join(", ")}.`, { field: "action" });
    const [row] = await tx
      .update(provisioningConflicts)
      .set({ resolvedAt: sql`now()`, resolution: action, resolvedBy: actor ?? null })
      .where(and(eq(provisioningConflicts.id, id), isNull(provisioningConflicts.resolvedAt)))
      .returning();
    if (!row) throw new ConflictError("This conflict is already resolved.");
    return {
      value: conflictView(row!),
      explicit: true,
      jobs: action === "ignore" ? [] : [{ targetId: c.targetId, subjectType: "person" as const, subjectId: c.personId, action: "provision", options: { conflictMode: action } }],
    };
  });
  return { ...result.value, jobIds: result.jobIds };
}

/** The self-service lists the caller's people may join, with their preference (api-v1.md "/me"). */
export async function myListPreferences(verifiedEmails: readonly string[]) {
  const personIds = await peopleOfViewer(verifiedEmails);
  const db = await getDb();
  const lists = await db
    .select()
    .from(emailLists)
    .where(and(eq(emailLists.membershipMode, "self_service"), isNull(emailLists.deletedAt)));
  if (personIds.length === 0 || lists.length === 0) return { items: [] };
  const facts = await loadPeopleWith(db, personIds);
  const groupFacts = await loadGroupsWith(db);
  const prefs = await db.select().from(listPreferences).where(inArray(listPreferences.personId, personIds));
  const items = [];
  for (const l of lists) {
    const world = { now: new Date(), groups: groupFacts, target: await targetPolicy(db, l.targetId) };
    const eligible = facts.filter((p) => personListEligible(p, world) && (l.eligibilityGroupId === null || inGroup(p, l.eligibilityGroupId, world)));
    if (eligible.length === 0) continue;
    const pref = prefs.find((x) => x.emailListId === l.id && eligible.some((p) => p.id === x.personId));
    items.push({ emailListId: l.id, name: l.name, description: l.description, subscribed: pref?.subscribed ?? null, source: pref?.source ?? null, updatedAt: pref?.updatedAt.toISOString() ?? null });
  }
  return { items };
}

// Bulk membership (console) ----------------------------------------------------------------------

export interface BulkMemberEntry {
  email: string;
  displayName: string | null;
}

/** Above this many people one P4 per bound list is cheaper than one P5 per person (§8.3). */
const BULK_AS_LIST_SYNC = 20;

/**
 * Adds people to a group by address in one change: an address no registry person has becomes a
 * new active person with that one (official) address; memberships are created or, when present,
 * set to member with no window. Jobs as §8.3: P5 per person, or P4 of every bound list when more
 * than ~20 people change.
 */
export async function addMembersByEmail(
  groupId: number,
  entries: readonly BulkMemberEntry[],
  flags: { owner?: boolean } = {},
): Promise<Changed<{ added: number; created: number; already: number }>> {
  return change(async (tx) => {
    await getGroup(groupId, tx);
    const wanted = [...new Map(entries.map((e) => [e.email.trim().toLowerCase(), e])).values()];
    const found = wanted.length
      ? await tx
          .select({ personId: emailAddresses.personId, mailNorm: emailAddresses.mailNorm })
          .from(emailAddresses)
          .innerJoin(people, eq(people.id, emailAddresses.personId))
          .where(and(inArray(emailAddresses.mailNorm, wanted.map((e) => e.email.trim().toLowerCase())), isNull(people.deletedAt)))
          .orderBy(asc(emailAddresses.personId))
      : [];
    const existing = await tx.select({ personId: groupMemberships.personId, member: groupMemberships.member }).from(groupMemberships).where(eq(groupMemberships.groupId, groupId));
    const personIds: number[] = [];
    let created = 0;
    let already = 0;
    for (const e of wanted) {
      const key = e.email.trim().toLowerCase();
      let personId = found.find((f) => f.mailNorm === key)?.personId;
      if (personId === undefined) {
        const [p] = await tx
          .insert(people)
          .values({ displayName: e.displayName ?? "", status: "active" })
          .returning({ id: people.id });
        await tx.insert(emailAddresses).values({ personId: p!.id, mail: e.email.trim(), type: "official", verified: false });
        personId = p!.id;
        created++;
      }
      if (existing.some((m) => m.personId === personId && m.member)) {
        already++;
        continue;
      }
      await tx
        .insert(groupMemberships)
        .values({ groupId, personId, source: "manual", member: true, owner: flags.owner ?? false })
        .onConflictDoUpdate({ target: [groupMemberships.groupId, groupMemberships.personId, groupMemberships.source], set: { member: true, validFrom: null, validThrough: null, updatedAt: sql`now()` } });
      personIds.push(personId);
    }
    let jobs: NewProvisioningJob[] = [];
    if (personIds.length > BULK_AS_LIST_SYNC) jobs = await groupJobs(tx, groupId);
    else for (const id of personIds) jobs.push(...(await membershipJobs(tx, groupId, id)));
    return { value: { added: personIds.length, created, already }, jobs };
  });
}

/** Members of a group with the people's names and addresses, paged (console). */
export async function groupMembersPage(groupId: number, page: number, perPage: number) {
  const db = await getDb();
  await getGroup(groupId, db);
  const rows = await db
    .select({ m: groupMemberships, name: people.displayName, status: people.status })
    .from(groupMemberships)
    .innerJoin(people, eq(people.id, groupMemberships.personId))
    .where(and(eq(groupMemberships.groupId, groupId), isNull(people.deletedAt)))
    .orderBy(asc(groupMemberships.personId))
    .limit(perPage)
    .offset((page - 1) * perPage);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(groupMemberships)
    .innerJoin(people, eq(people.id, groupMemberships.personId))
    .where(and(eq(groupMemberships.groupId, groupId), isNull(people.deletedAt)));
  const ids = rows.map((r) => r.m.personId);
  const mails = ids.length ? await db.select().from(emailAddresses).where(inArray(emailAddresses.personId, ids)).orderBy(asc(emailAddresses.id)) : [];
  return {
    items: rows.map((r) => ({
      personId: r.m.personId,
      name: r.name,
      status: r.status,
      emails: mails.filter((e) => e.personId === r.m.personId).map((e) => e.mail),
      member: r.m.member,
      owner: r.m.owner,
      validFrom: r.m.validFrom,
      validThrough: r.m.validThrough,
    })),
    total: Number(count?.n ?? 0),
  };
}

/** Email lists that bind the group in some role (what its suspension or deletion reaches). */
export async function listsBindingGroup(groupId: number) {
  const db = await getDb();
  const rows = await db
    .select({ id: emailLists.id, name: emailLists.name, targetId: emailLists.targetId, membersGroupId: emailLists.membersGroupId, adminsGroupId: emailLists.adminsGroupId, moderatorsGroupId: emailLists.moderatorsGroupId, eligibilityGroupId: emailLists.eligibilityGroupId })
    .from(emailLists)
    .where(
      and(
        isNull(emailLists.deletedAt),
        or(eq(emailLists.membersGroupId, groupId), eq(emailLists.adminsGroupId, groupId), eq(emailLists.moderatorsGroupId, groupId), eq(emailLists.eligibilityGroupId, groupId)),
      ),
    )
    .orderBy(asc(emailLists.name));
  return rows.map((l) => ({
    id: l.id,
    name: l.name,
    targetId: l.targetId,
    roles: [l.membersGroupId === groupId && "members", l.adminsGroupId === groupId && "owners", l.moderatorsGroupId === groupId && "moderators", l.eligibilityGroupId === groupId && "eligibility"].filter((r): r is string => Boolean(r)),
  }));
}
