import { and, eq, isNull, sql } from "drizzle-orm";
import pLimit from "p-limit";
import { getDb } from "@/db/client";
import { coreUsers, provisionedLists, provisioningConflicts } from "@/db/schema";
import type { MailmanClient } from "@/lib/mailman";
import { MailmanError, MailmanTransportError } from "@/lib/mailman/errors";
import { removeMembersInBulk } from "@/lib/mailman/members";
import { allRequests } from "@/lib/mailman/requests";
import type { Member } from "@/lib/mailman/schemas";
import {
  createUser,
  deleteAddress,
  deleteUser,
  getAddress,
  getPreferredAddress,
  getUser,
  linkAddress,
  patchUserDisplayName,
  setPreferredAddress,
  userAddresses,
  userIdOfLink,
  verifyAddress,
} from "@/lib/mailman/users";
import { desiredRoster, governedRoles, needsUser, personProvisionable, preferredAddress, verdict, type GovernedRole, type ListFact, type PersonFact, type World } from "./desired";
import { diffRole, identityPlan, isEmptyIdentityPlan, syncHash, type Add, type Remove, type RemoveReason, type RosterEntry } from "./diff";
import { coreUserOfPerson, loadCoreUsers, type CoreUserRow, type ListRow, type ProvisionedListRow, type TargetRow } from "./facts";
import { insertEvents, type JobItem, type NewEvent } from "./job-store";
import { withLock } from "./locks";

/**
 * Primitives P1–P7 of provisioning.md §8.2 against a real core. Each compares, then changes;
 * every "already so" answer is success (§8.7). A transport error or 5xx aborts the subject
 * (the job is retried later, from scratch); a 4xx on one item is recorded and the run goes on;
 * conflicts are recorded as such. With `dryRun` nothing is written anywhere, and the calls that
 * would have been made are returned as the plan.
 */

export interface PlanStep {
  op: string;
  emailListId?: number | null;
  mailmanListId?: string | null;
  role?: string | null;
  email?: string | null;
  personId?: number | null;
  reason: string;
  /** Why a roster entry goes (diff.ts), for the console's plan view; not part of the API's plan. */
  why?: RemoveReason;
}

/** Aborts the subject: the core could not be reached or failed (transport, 5xx). */
export class TransportAbort extends Error {}

export function isTransport(error: unknown): boolean {
  return error instanceof MailmanTransportError || (error instanceof MailmanError && error.isTransient);
}

const PAGE = 1000;
const ROSTER_FIELDS = ["member_id", "email", "role", "user", "subscription_mode"] as const;

export class Run {
  readonly items: JobItem[] = [];
  readonly events: NewEvent[] = [];
  readonly plan: PlanStep[] = [];
  /** Core user ids known to exist in this run (skip the GET of P3 step 2). */
  private readonly confirmedUsers = new Set<string>();

  constructor(
    readonly target: TargetRow,
    readonly client: MailmanClient,
    readonly world: World,
    readonly options: { jobId: number | null; dryRun: boolean; concurrency?: number },
  ) {}

  get dryRun() {
    return this.options.dryRun;
  }

  /**
   * The advisory lock of §8.7 around a writer. A dry run writes nothing and takes none: a plan
   * previewed inside a transaction (lib/registry/preview.ts) must not wait for a worker that, on
   * PGlite's single connection, is itself waiting for that transaction to end.
   */
  private lock<T>(kind: "person" | "list", subjectId: number, fn: () => Promise<T>): Promise<T> {
    return this.dryRun ? fn() : withLock(kind, this.target.id, subjectId, fn);
  }

  item(item: JobItem) {
    this.items.push(item);
  }

  /**
   * History rows are written as the core answers (not at the end of the run), so a worker killed
   * mid-run leaves a complete history of what it did.
   */
  private event(e: Omit<NewEvent, "jobId" | "targetId">) {
    const row = { ...e, jobId: this.options.jobId, targetId: this.target.id };
    this.events.push(row);
    if (this.options.jobId !== null && !this.dryRun) this.pendingWrites.push(insertEvents([row]).catch(() => this.unwritten.push(row)));
  }

  private pendingWrites: Promise<unknown>[] = [];
  private readonly unwritten: NewEvent[] = [];

  /** Waits for the history rows in flight; returns those that could not be written yet. */
  async flushEvents(): Promise<NewEvent[]> {
    const writes = this.pendingWrites;
    this.pendingWrites = [];
    await Promise.all(writes);
    return this.unwritten.splice(0);
  }

  /**
   * One Mailman mutation: planned in a dry run; otherwise sent, with an event for its answer.
   * Transport errors and 5xx become `TransportAbort` after their event is recorded.
   */
  async mutate<T>(
    step: PlanStep & { method: string; path: string; status?: number; /** One call for many people (bulk DELETE): one history row each. */ each?: { personId: number | null; email: string }[] },
    fn: () => Promise<T>,
  ): Promise<T | undefined> {
    if (this.dryRun) {
      this.plan.push({ op: step.op, emailListId: step.emailListId, mailmanListId: step.mailmanListId, role: step.role, email: step.email, personId: step.personId, reason: step.reason, ...(step.why ? { why: step.why } : {}) });
      return undefined;
    }
    if (this.abortedBy) throw this.abortedBy.error;
    const base = { op: step.op, role: step.role ?? null, mailmanListId: step.mailmanListId ?? null, email: step.email ?? null, personId: step.personId ?? null, emailListId: step.emailListId ?? null, method: step.method, path: step.path };
    const record = (e: Omit<NewEvent, "jobId" | "targetId">) => {
      if (!step.each) return this.event(e);
      for (const one of step.each) this.event({ ...e, personId: one.personId, email: one.email });
    };
    try {
      const result = await fn();
      record({ ...base, httpStatus: step.status ?? 200, message: step.reason });
      return result;
    } catch (error) {
      const status = error instanceof MailmanError ? error.status : null;
      record({ ...base, httpStatus: status, message: error instanceof MailmanError || error instanceof MailmanTransportError ? error.userMessage : String(error) });
      if (isTransport(error)) throw new TransportAbort(error instanceof Error ? error.message : String(error), { cause: error });
      throw error;
    }
  }

  /** Reads: transport errors and 5xx abort the subject. */
  async read<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (isTransport(error)) {
        this.event({ op: "error", method: "GET", path: (error as { path?: string }).path ?? null, httpStatus: error instanceof MailmanError ? error.status : null, message: (error as Error).message });
        throw new TransportAbort((error as Error).message, { cause: error });
      }
      throw error;
    }
  }

  // P1 ---------------------------------------------------------------------------------------

  async ensureDomain(): Promise<void> {
    const domain = this.target.domain;
    if (await this.read(() => this.client.getDomain(domain))) return;
    await this.mutate({ op: "create_domain", method: "POST", path: "/domains", status: 201, reason: `Mailman domain ${domain} created` }, async () => {
      try {
        await this.client.createDomain({ mailHost: domain, description: "Managed by Listkeeper" });
      } catch (error) {
        if (!(error instanceof MailmanError && error.status === 400 && /duplicate email host/i.test(error.userMessage))) throw error;
      }
    });
  }

  // P2 ---------------------------------------------------------------------------------------

  /** Returns the Mailman list id, or null in a dry run of a list not created yet. */
  async ensureList(list: ListRow, mapping: ProvisionedListRow | undefined): Promise<ProvisionedListRow | null> {
    const db = await getDb();
    if (mapping) {
      const existing = await this.read(() => this.client.getList(mapping.mailmanListId));
      if (existing) {
        if (list.name.toLowerCase() !== mapping.fqdn.split("@")[0]) {
          this.item({ emailListId: list.id, outcome: "warning", message: `rename_unsupported: the Mailman list stays ${mapping.fqdn}` });
        }
        if ((existing.description ?? "") !== list.description) await this.patchDescription(list, mapping.mailmanListId);
        return mapping;
      }
      // Deleted out of band: drop the mapping and create it again.
      if (!this.dryRun) await db.delete(provisionedLists).where(eq(provisionedLists.id, mapping.id));
    }
    const fqdn = `${list.name.toLowerCase()}@${this.target.domain}`;
    let listId: string | undefined;
    await this.mutate({ op: "create_list", method: "POST", path: "/lists", status: 201, emailListId: list.id, mailmanListId: fqdn, reason: `Mailman list created (${fqdn})` }, async () => {
      try {
        listId = await this.client.createList({ fqdnListname: fqdn });
      } catch (error) {
        if (!(error instanceof MailmanError && error.status === 400 && /mailing list exists/i.test(error.userMessage))) throw error;
        const found = await this.client.getList(fqdn);
        if (!found) throw error;
        listId = found.list_id;
      }
    });
    if (this.dryRun || !listId) return null;
    // Stored straight after the core answered (crash safety, §8.7).
    const [row] = await db
      .insert(provisionedLists)
      .values({ targetId: this.target.id, emailListId: list.id, mailmanListId: listId, fqdn })
      .onConflictDoUpdate({ target: [provisionedLists.targetId, provisionedLists.emailListId], set: { mailmanListId: listId, fqdn } })
      .returning();
    this.item({ emailListId: list.id, outcome: "created", message: `Mailman list created (id: ${listId})` });
    if (list.description) await this.patchDescription(list, listId);
    return row!;
  }

  private async patchDescription(list: ListRow, listId: string) {
    await this.mutate(
      { op: "update_list", method: "PATCH", path: `/lists/${listId}/config`, status: 204, emailListId: list.id, mailmanListId: listId, reason: "description updated" },
      () => this.client.patchListConfig(listId, { description: list.description }),
    );
  }

  // P3 ---------------------------------------------------------------------------------------

  /**
   * Makes the person's core user match the registry; returns its id, or null when the person
   * has none (not needed, no address, conflict). Serialised per (target, person).
   */
  async ensureUser(p: PersonFact, options: { force?: boolean; wanted: boolean }): Promise<string | null> {
    return this.lock("person", p.id, () => this.ensureUserLocked(p, options));
  }

  private async ensureUserLocked(p: PersonFact, options: { force?: boolean; wanted: boolean }): Promise<string | null> {
    const db = await getDb();
    let row = await coreUserOfPerson(this.target.id, p.id);
    if (needsUser(p, this.world, options.wanted, Boolean(row?.mailmanUserId)) === "no") return null;
    const preferred = preferredAddress(p.addresses, this.world.target.prefEmailType);
    if (!preferred) {
      this.item({ personId: p.id, outcome: "error", message: "no preferred email address" });
      return null;
    }
    const registry = [...new Set(p.addresses.map((a) => a.mail.toLowerCase()))];
    const hash = this.identityHash(p, preferred);
    if (row?.mailmanUserId && row.syncHash === hash && !options.force) return row.mailmanUserId;

    let userId = row?.mailmanUserId ?? null;
    let created = false;
    if (userId && !this.confirmedUsers.has(userId)) {
      const user = await this.read(() => getUser(this.client, userId!));
      if (!user) {
        // Deleted out of band: the mapping is stale.
        if (!this.dryRun) await db.update(coreUsers).set({ mailmanUserId: null, syncHash: null, updatedAt: sql`now()` }).where(eq(coreUsers.id, row!.id));
        userId = null;
      }
    }
    if (!userId) {
      const resolved = await this.resolveUnmapped(p, row, preferred);
      if (!resolved) return null;
      ({ userId, created, row } = resolved);
      if (!userId) return null; // dry run of a creation
    }
    this.confirmedUsers.add(userId);

    // Addresses, verify, preferred, display name, stale (§8.2 P3 steps 4–8, in that order).
    const mm = created
      ? [{ email: preferred, verified: false }]
      : (await this.read(() => userAddresses(this.client, userId!))).map((a) => ({ email: a.email.toLowerCase(), verified: Boolean(a.verified_on) }));
    const mmPreferred = created ? null : ((await this.read(() => getPreferredAddress(this.client, userId!)))?.email ?? null);
    const mmUser = created ? null : await this.read(() => getUser(this.client, userId!));
    const plan = identityPlan({
      registry,
      preferred,
      displayName: p.displayName,
      mailman: mm,
      mailmanPreferred: mmPreferred,
      mailmanDisplayName: created ? p.displayName : (mmUser?.display_name ?? null),
      syncDisplayName: this.target.syncDisplayName,
      deleteStaleAddresses: this.target.deleteStaleAddresses,
    });
    const skipped = new Set<string>();
    for (const email of plan.addAddresses) {
      const step = { op: "add_address", method: "POST", path: `/users/${userId}/addresses`, status: 201, email, personId: p.id, reason: `address ${email} added` };
      const result = await this.mutate(step, () => linkAddress(this.client, userId!, email));
      if (result !== "owned_by_other_user") continue;
      const owner = await this.read(() => getAddress(this.client, email));
      const ownerId = owner?.user ? userIdOfLink(owner.user) : null;
      const mapped = ownerId ? (await loadCoreUsers(this.target.id)).some((r) => r.mailmanUserId === ownerId) : false;
      if (this.target.addressConflictMode === "absorb" && ownerId && !mapped && email !== preferred) {
        await this.mutate({ ...step, op: "absorb_user", reason: `Mailman user ${ownerId} absorbed through ${email}` }, () => linkAddress(this.client, userId!, email, { absorbExisting: true }));
        continue;
      }
      const kind = email === preferred ? (mapped ? "preferred_owned_by_person" : "preferred_owned_by_unmapped") : "secondary_owned";
      await this.conflict(p.id, email, kind, ownerId, `${email} belongs to another Mailman user`);
      if (email === preferred) return null;
      skipped.add(email);
    }
    for (const email of plan.verify.filter((e) => !skipped.has(e))) {
      await this.mutate({ op: "verify", method: "POST", path: `/addresses/${email}/verify`, status: 204, email, personId: p.id, reason: `${email} verified` }, () => verifyAddress(this.client, email));
    }
    if (plan.setPreferred) {
      const ok = await this.mutate(
        { op: "set_preferred", method: "POST", path: `/users/${userId}/preferred_address`, status: 201, email: preferred, personId: p.id, reason: `Set Mailman preferred email address to ${preferred}` },
        async () => {
          try {
            await setPreferredAddress(this.client, userId!, preferred);
            return true;
          } catch (error) {
            if (error instanceof MailmanError && error.status === 400) {
              await this.conflict(p.id, preferred, "preferred_owned_by_unmapped", null, error.userMessage);
              return false;
            }
            throw error;
          }
        },
      );
      if (ok === false) return null;
      if (!created) this.item({ personId: p.id, email: preferred, outcome: "updated", message: `Set Mailman preferred email address to ${preferred}` });
    }
    if (plan.displayName) {
      await this.mutate({ op: "update_user", method: "PATCH", path: `/users/${userId}`, status: 204, personId: p.id, reason: "display name updated" }, () =>
        patchUserDisplayName(this.client, userId!, plan.displayName!),
      );
    }
    for (const email of plan.deleteAddresses) {
      await this.mutate({ op: "delete_address", method: "DELETE", path: `/addresses/${email}`, status: 204, email, personId: p.id, reason: `stale address ${email} deleted` }, () =>
        deleteAddress(this.client, email),
      );
    }
    if (!this.dryRun && row) {
      await db.update(coreUsers).set({ syncHash: skipped.size > 0 ? null : hash, lastSyncedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(coreUsers.id, row.id));
    }
    if (!isEmptyIdentityPlan(plan) && !created && !plan.setPreferred) this.item({ personId: p.id, outcome: "updated", message: "Mailman user updated" });
    return userId;
  }

  /** What P3 last pushed for the person: unchanged → the identity sync is skipped (§8.2 P3 step 9). */
  identityHash(p: PersonFact, preferred: string): string {
    const registry = [...new Set(p.addresses.map((a) => a.mail.toLowerCase()))];
    return syncHash({ displayName: p.displayName, addresses: registry, preferred, policy: `${this.target.syncDisplayName}:${this.target.deleteStaleAddresses}` });
  }

  /** P3 step 3: find or create the core user of an unmapped person, with an intent row first. */
  private async resolveUnmapped(
    p: PersonFact,
    row: CoreUserRow | null,
    preferred: string,
  ): Promise<{ userId: string | null; created: boolean; row: CoreUserRow | null } | null> {
    const db = await getDb();
    // A person never tried before is created straight away (the floor's one POST /users per
    // person): a user that already exists answers 400 and is looked up then. After an earlier
    // try (an intent row: a crash, a conflict) the look-up comes first, so a re-run only reads.
    const neverTried = !row && p.status === "active" && !this.dryRun;
    const existing = neverTried ? null : await this.read(() => getUser(this.client, preferred));
    if (!existing) {
      if (p.status !== "active") return null;
      if (this.dryRun) {
        this.plan.push({ op: "create_user", email: preferred, personId: p.id, reason: "the person has no Mailman user yet" });
        return { userId: null, created: true, row };
      }
      // Intent first: a crash between POST /users and storing its id is recovered by the
      // created_on rule below.
      if (!row) {
        row = (await db.insert(coreUsers).values({ targetId: this.target.id, personId: p.id, intentEmail: preferred }).returning())[0] ?? null;
      } else {
        await db.update(coreUsers).set({ intentEmail: preferred, updatedAt: sql`now()` }).where(eq(coreUsers.id, row.id));
      }
      const userId = await this.mutate(
        { op: "create_user", method: "POST", path: "/users", status: 201, email: preferred, personId: p.id, reason: `Mailman user created for ${preferred}` },
        async () => {
          try {
            return await createUser(this.client, { email: preferred, displayName: p.displayName || undefined });
          } catch (error) {
            if (error instanceof MailmanError && error.status === 400 && /already exists/i.test(error.userMessage)) return null;
            throw error;
          }
        },
      );
      if (userId) {
        await db.update(coreUsers).set({ mailmanUserId: userId, updatedAt: sql`now()` }).where(eq(coreUsers.id, row!.id));
        this.item({ personId: p.id, email: preferred, outcome: "created", message: `Mailman user created (${userId})` });
        return { userId, created: true, row: { ...row!, mailmanUserId: userId } };
      }
      // Someone created it in between, or (never tried) it existed before our POST: handled as
      // "exists". Never tried, it cannot be ours however recent its created_on; after an earlier
      // try it may be (that try's POST, still queued in the core, landed first).
      const again = await this.read(() => getUser(this.client, preferred));
      if (!again) throw new TransportAbort("the core said the user exists but does not show it");
      return this.adoptOrConflict(p, row, preferred, again.user_id, again.created_on, { refusedOurs: neverTried });
    }
    return this.adoptOrConflict(p, row, preferred, existing.user_id, existing.created_on);
  }

  private async adoptOrConflict(p: PersonFact, row: CoreUserRow | null, preferred: string, userId: string, createdOn: string, options: { refusedOurs?: boolean } = {}) {
    const db = await getDb();
    const all = await loadCoreUsers(this.target.id);
    const holder = all.find((r) => r.mailmanUserId === userId);
    if (holder && holder.personId !== null && holder.personId !== p.id) {
      await this.conflict(p.id, preferred, "preferred_owned_by_person", userId, `${preferred} belongs to the Mailman user of person ${holder.personId}`);
      return null;
    }
    // Our own intent, answered by the core before a crash: the user was created after the intent.
    const ours = !options.refusedOurs && row?.intentEmail === preferred && row.mailmanUserId === null && Date.parse(`${createdOn}Z`) >= row.createdAt.getTime() - 1000;
    // The same human's self-service account already has this core user (one per human).
    const sameHuman = holder !== undefined && holder.personId === null;
    let adopt = ours || sameHuman || holder?.personId === p.id;
    if (!adopt && this.target.addressConflictMode !== "fail") {
      const theirs = (await this.read(() => userAddresses(this.client, userId))).map((a) => a.email.toLowerCase());
      const mine = new Set(p.addresses.map((a) => a.mail.toLowerCase()));
      adopt = theirs.every((a) => mine.has(a));
    }
    if (!adopt) {
      await this.conflict(p.id, preferred, "preferred_owned_by_unmapped", userId, `${preferred} belongs to a Mailman user Listkeeper did not create`);
      return null;
    }
    if (this.dryRun) return { userId, created: false, row };
    if (holder && holder.id !== row?.id) {
      if (row) await db.delete(coreUsers).where(eq(coreUsers.id, row.id));
      const [linked] = await db.update(coreUsers).set({ personId: p.id, updatedAt: sql`now()` }).where(eq(coreUsers.id, holder.id)).returning();
      return { userId, created: false, row: linked ?? null };
    }
    if (row) {
      const [updated] = await db.update(coreUsers).set({ mailmanUserId: userId, updatedAt: sql`now()` }).where(eq(coreUsers.id, row.id)).returning();
      row = updated ?? row;
    } else {
      row = (await db.insert(coreUsers).values({ targetId: this.target.id, personId: p.id, mailmanUserId: userId, intentEmail: preferred }).returning())[0] ?? null;
    }
    if (!ours) this.item({ personId: p.id, email: preferred, outcome: "updated", message: `existing Mailman user ${userId} adopted` });
    return { userId, created: false, row: row ?? null };
  }

  async conflict(personId: number, email: string, kind: "preferred_owned_by_person" | "preferred_owned_by_unmapped" | "secondary_owned", mailmanUserId: string | null, message: string) {
    const outcome = kind === "secondary_owned" ? "warning" : "conflict";
    this.item({ personId, email, outcome, message });
    this.event({ op: "conflict", personId, email, message });
    if (this.dryRun) {
      this.plan.push({ op: "conflict", personId, email, reason: message });
      return;
    }
    const db = await getDb();
    await db
      .insert(provisioningConflicts)
      .values({ targetId: this.target.id, personId, email, kind, mailmanUserId, message })
      .onConflictDoNothing({ target: [provisioningConflicts.targetId, provisioningConflicts.personId, provisioningConflicts.email], where: isNull(provisioningConflicts.resolvedAt) });
  }

  // P4 ---------------------------------------------------------------------------------------

  async readRoster(mailmanListId: string): Promise<RosterEntry[]> {
    const out: RosterEntry[] = [];
    for (let page = 1; ; page++) {
      const result = await this.read(() => this.client.findMembers({ listId: mailmanListId }, { count: PAGE, page }, ROSTER_FIELDS));
      out.push(...result.entries.map(toEntry));
      if (page * PAGE >= result.total || result.entries.length === 0) return out;
    }
  }

  /**
   * P4 for one list whose mapping exists (or, in a dry run, is about to): reads the roster once,
   * runs P3 for the desired people that need it, then adds before removes in each role. The
   * roster read and the database's facts (`loadPeople`, the mapping) overlap: an unchanged list
   * costs about its roster read alone.
   */
  async reconcileList(list: ListFact, mapping: ProvisionedListRow | null, loadPeople: () => Promise<ReadonlyMap<number, PersonFact>>): Promise<void> {
    const key = mapping?.id ?? -list.id;
    await this.lock("list", key, async () => {
      const [actual, people, mappedAll] = await Promise.all([
        mapping ? this.readRoster(mapping.mailmanListId) : Promise.resolve([]),
        loadPeople(),
        loadCoreUsers(this.target.id),
      ]);
      const roles = governedRoles(list);
      const rosters = roles.map((role) => ({ role, roster: desiredRoster(list, role, people.values(), this.world) }));
      const wanted = new Set<number>();
      for (const { role, roster } of rosters) {
        roster.desired.forEach((_, id) => wanted.add(id));
        for (const id of roster.noAddress) this.item({ personId: id, emailListId: list.id, role, outcome: "error", message: "no preferred email address" });
        for (const id of roster.conflicts) this.item({ personId: id, emailListId: list.id, role, outcome: "conflict", message: "unresolved address conflict" });
      }
      // P3 for the desired people (a no-op without calls when their sync hash is current).
      const failed = new Set<number>();
      // Steady state: people whose stored sync hash matches need no P3 at all (one query here,
      // none per person), so an unchanged list costs its roster read and nothing else.
      const mappedRows = mappedAll.filter((r) => r.personId !== null);
      const mapped = new Map(mappedRows.map((r) => [r.personId!, r]));
      const stale = new Set(
        [...wanted].filter((id) => {
          const row = mapped.get(id);
          const person = people.get(id)!;
          const preferred = preferredAddress(person.addresses, this.world.target.prefEmailType);
          return !(row?.mailmanUserId && preferred && row.syncHash === this.identityHash(person, preferred));
        }),
      );
      const listId = mapping?.mailmanListId ?? `${list.name.toLowerCase()}@${this.target.domain}`;
      const unmanagedMode = list.membershipMode === "self_service" ? "ignore" : this.world.target.unmanagedEmailMode;
      // Adds from the roster as read: people without a core user have no entries yet, so the
      // mapping before P3 tells them apart. Each person's P3 is followed at once by their
      // subscriptions, so a run cut off half-way leaves whole people, not a roster of users
      // without memberships.
      const before = new Map(mappedRows.filter((r) => r.mailmanUserId).map((r) => [r.mailmanUserId!, r.personId!]));
      const addsOf = new Map<number, Add[]>();
      for (const { role, roster } of rosters) {
        for (const add of diffRole({ role, desired: roster.desired, untouched: roster.untouched, actual, userToPerson: before, unmanagedMode }).adds) {
          addsOf.set(add.personId, [...(addsOf.get(add.personId) ?? []), add]);
        }
      }
      await this.inParallel([...new Set([...stale, ...addsOf.keys()])], async (id) => {
        if (stale.has(id)) {
          const userId = await this.ensureUser(people.get(id)!, { wanted: true });
          if (!userId && !this.dryRun) {
            failed.add(id);
            return;
          }
        }
        for (const add of addsOf.get(id) ?? []) await this.subscribe(list, listId, add, people.get(id));
      });
      // Removes after every add (an owner's new row exists before the old one goes), from the
      // mapping as P3 left it (unchanged when P3 did not run); people P3 could not provision are
      // no longer desired.
      const userToPerson = stale.size > 0 ? await this.userToPerson() : before;
      for (const { role, roster } of rosters) {
        for (const id of failed) roster.desired.delete(id);
        const diff = diffRole({ role, desired: roster.desired, untouched: roster.untouched, actual, userToPerson, unmanagedMode });
        await this.applyRemoves(list, listId, diff.removes);
      }
    });
  }

  private async userToPerson(): Promise<Map<string, number>> {
    const rows = await loadCoreUsers(this.target.id);
    return new Map(rows.filter((r) => r.mailmanUserId && r.personId !== null).map((r) => [r.mailmanUserId!, r.personId!]));
  }

  private async mmOf(personId: number): Promise<string | null> {
    return (await coreUserOfPerson(this.target.id, personId))?.mailmanUserId ?? null;
  }

  async applyAdds(list: ListFact, listId: string, adds: readonly Add[], people: ReadonlyMap<number, PersonFact>): Promise<void> {
    await this.inParallel(adds, (add) => this.subscribe(list, listId, add, people.get(add.personId)));
  }

  /** The first error that aborted this run: no call is sent after it (see `inParallel`). */
  private abortedBy: { error: unknown } | null = null;

  /**
   * `fn` over `items`, `concurrency` at a time. After the first failure no item starts and no
   * call is sent (mutate checks `abortedBy`), and the calls already in flight are awaited before
   * the failure is thrown. A retry must not overlap the aborted attempt: with Promise.all the
   * attempt's queued people went on in the background while the retry sent the same subscribes,
   * and a loaded core (answering 500 "database is locked") kept both as duplicate as_user rows
   * (148 of 1,000 in bench:provision).
   */
  private async inParallel<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
    const limit = pLimit(this.options.concurrency ?? 4);
    await Promise.allSettled(
      items.map((item) =>
        limit(async () => {
          if (this.abortedBy) return;
          try {
            await fn(item);
          } catch (error) {
            this.abortedBy ??= { error };
          }
        }),
      ),
    );
    if (this.abortedBy) throw this.abortedBy.error;
  }

  private async subscribe(list: ListFact, listId: string, add: Add, person: PersonFact | undefined, retried = false): Promise<void> {
    const subscriber = this.dryRun ? add.email : await this.mmOf(add.personId);
    if (!subscriber) return;
    const member = add.role === "member";
    const step = {
      op: "subscribe",
      method: "POST",
      path: "/members",
      status: 201,
      emailListId: list.id,
      mailmanListId: listId,
      role: add.role,
      email: add.email,
      personId: add.personId,
      reason: `Subscribed to Mailman list (${listId}, role=${add.role})`,
    };
    const welcome = this.target.sendWelcomeMessage;
    let outcome: "subscribed" | "unchanged" | "retry" | "retry-user" | undefined;
    try {
      outcome = await this.mutate(step, async () => {
        try {
          const r = await this.client.subscribe({
            listId,
            subscriber,
            ...(member ? { preVerified: true, preConfirmed: true, preApproved: true, ...(welcome === null ? {} : { sendWelcomeMessage: welcome }) } : { role: add.role }),
          });
          if (r.kind === "pending") throw new MailmanError({ status: 202, title: "202 Accepted", description: "Subscription request pending", method: "POST", path: "/members" });
          return "subscribed" as const;
        } catch (error) {
          if (!(error instanceof MailmanError)) throw error;
          const words = error.userMessage;
          if (error.status === 409 && /already subscribed/i.test(words)) return "unchanged" as const;
          if (error.status === 400 && /is already an? /i.test(words)) return "unchanged" as const;
          if (!retried && error.status === 409 && /already pending/i.test(words)) {
            const requests = await allRequests(this.client, listId, { requestType: "subscription" });
            const pending = requests.find((r) => (r.email ?? "").toLowerCase() === add.email);
            if (pending) await this.client.send("POST", `/lists/${encodeURIComponent(listId)}/requests/${encodeURIComponent(pending.token)}`, { action: "accept" });
            return "retry" as const;
          }
          if (!retried && error.status === 400 && /no preferred address|without preferred address/i.test(words)) return "retry-user" as const;
          throw error;
        }
      });
    } catch (error) {
      if (error instanceof TransportAbort) throw error;
      this.item({ personId: add.personId, emailListId: list.id, email: add.email, role: add.role, outcome: "error", message: error instanceof MailmanError ? error.userMessage : String(error) });
      return;
    }
    if (outcome === "retry") return this.subscribe(list, listId, add, person, true);
    if (outcome === "retry-user" && person) {
      await this.ensureUser(person, { wanted: true, force: true });
      return this.subscribe(list, listId, add, person, true);
    }
    if (outcome === "subscribed" || outcome === "unchanged") this.item({ personId: add.personId, emailListId: list.id, email: add.email, role: add.role, outcome, message: step.reason });
  }

  async applyRemoves(list: ListFact, listId: string, removes: readonly Remove[]): Promise<void> {
    if (removes.length === 0) return;
    const record = (r: Remove, outcome: "unsubscribed" | "error", message: string) =>
      this.item({ personId: r.personId, emailListId: list.id, email: r.email, role: r.role, outcome, message });
    let single = [...removes];
    // Opting out of a self-service list is always quiet: no goodbye mail (issue 10 item 5).
    if (this.target.quietUnsubscribe || list.membershipMode === "self_service") {
      const bulk = removes.filter((r) => r.bulkSafe && r.role === "member");
      if (bulk.length > 0) {
        const emails = [...new Set(bulk.map((r) => r.email.toLowerCase()))];
        const answers = await this.mutate(
          {
            op: "unsubscribe",
            method: "DELETE",
            path: `/lists/${listId}/roster/member`,
            status: 200,
            emailListId: list.id,
            mailmanListId: listId,
            role: "member",
            reason: `Unsubscribed from Mailman list (${listId}, role=member)`,
            each: bulk.map((r) => ({ personId: r.personId, email: r.email })),
          },
          () => removeMembersInBulk(this.client, listId, emails),
        );
        if (this.dryRun) {
          for (const r of bulk) this.plan.push({ op: "unsubscribe", emailListId: list.id, mailmanListId: listId, role: r.role, email: r.email, personId: r.personId, reason: r.reason, why: r.reason });
          this.plan.splice(this.plan.findIndex((s) => s.op === "unsubscribe" && !s.email), 1);
        }
        single = removes.filter((r) => !bulk.includes(r));
        for (const r of bulk) {
          // `false`: the bulk call did not match it (a case or state surprise): one by one below.
          if (answers && answers.get(r.email.toLowerCase()) === false) single.push(r);
          else if (!this.dryRun) record(r, "unsubscribed", `Unsubscribed from Mailman list (${listId}, role=member)`);
        }
      }
    }
    for (const r of single) {
      const path = `/members/${r.memberId}${r.role === "member" ? "?pre_approved=true" : ""}`;
      try {
        const result = await this.mutate(
          { op: "unsubscribe", method: "DELETE", path, status: 204, emailListId: list.id, mailmanListId: listId, role: r.role, email: r.email, personId: r.personId, reason: `Unsubscribed from Mailman list (${listId}, role=${r.role})`, why: r.reason },
          async () => {
            try {
              const response = await this.client.request("DELETE", `/members/${encodeURIComponent(r.memberId)}`, r.role === "member" ? { query: { pre_approved: "true" } } : {});
              return response.status === 202 ? "pending" : "removed";
            } catch (error) {
              if (error instanceof MailmanError && error.status === 404) return "removed";
              throw error;
            }
          },
        );
        if (result === "pending") record(r, "error", "moderated unsubscribe pending");
        else if (result) record(r, "unsubscribed", `Unsubscribed from Mailman list (${listId}, role=${r.role})`);
      } catch (error) {
        if (error instanceof TransportAbort) throw error;
        record(r, "error", error instanceof MailmanError ? error.userMessage : String(error));
      }
    }
  }

  // P5 ---------------------------------------------------------------------------------------

  async reconcilePerson(
    p: PersonFact,
    lists: ReadonlyMap<number, ListFact>,
    mappings: ReadonlyMap<number, ProvisionedListRow>,
    options: { force?: boolean; onlyListId?: number } = {},
  ): Promise<void> {
    if (!personProvisionable(p, this.world)) return this.deprovisionPerson(p.id);
    const scope = [...lists.values()].filter((l) => mappings.has(l.id) && (options.onlyListId === undefined || l.id === options.onlyListId));
    const wanted = scope.some((l) => governedRoles(l).some((role) => verdict(p, l, role, this.world).kind === "desired"));
    for (const l of scope) {
      for (const role of governedRoles(l)) {
        const v = verdict(p, l, role, this.world);
        if (v.kind === "no_address") this.item({ personId: p.id, emailListId: l.id, role, outcome: "error", message: "no preferred email address" });
      }
    }
    const userId = await this.ensureUser(p, { wanted, force: options.force });
    const mappedUser = userId ?? (await this.mmOf(p.id));
    if (!mappedUser) {
      // Dry run of a person without a core user yet: every desired (list, role) is a subscribe.
      if (this.dryRun && wanted) {
        for (const l of scope) {
          for (const role of governedRoles(l)) {
            const v = verdict(p, l, role, this.world);
            if (v.kind === "desired") this.plan.push({ op: "subscribe", emailListId: l.id, mailmanListId: mappings.get(l.id)!.mailmanListId, role, email: v.email, personId: p.id, reason: "desired" });
          }
        }
      }
      return;
    }
    // Actual: one find per address of the user (registry and core), all roles (§8.2 P5 step 4).
    const addresses = new Set(p.addresses.map((a) => a.mail.toLowerCase()));
    if (!this.dryRun || userId) {
      for (const a of await this.read(() => userAddresses(this.client, mappedUser))) addresses.add(a.email.toLowerCase());
    }
    const byListId = new Map([...mappings.values()].map((m) => [m.mailmanListId, m.emailListId]));
    const entries = new Map<string, RosterEntry & { listId: string }>();
    for (const address of addresses) {
      for (let page = 1; ; page++) {
        const result = await this.read(() => this.client.findMembers({ subscriber: address }, { count: PAGE, page }, [...ROSTER_FIELDS, "list_id"]));
        for (const m of result.entries) {
          const e = toEntry(m);
          if (e.userId === mappedUser && m.list_id && byListId.has(m.list_id)) entries.set(e.memberId, { ...e, listId: m.list_id });
        }
        if (page * PAGE >= result.total || result.entries.length === 0) break;
      }
    }
    const userToPerson = new Map([[mappedUser, p.id]]);
    const people = new Map([[p.id, p]]);
    for (const l of scope) {
      const mapping = mappings.get(l.id)!;
      await this.lock("list", mapping.id, async () => {
        const actual = [...entries.values()].filter((e) => e.listId === mapping.mailmanListId);
        for (const role of governedRoles(l)) {
          const v = verdict(p, l, role, this.world);
          const desired = new Map(v.kind === "desired" && userId ? [[p.id, v.email]] : []);
          const untouched = new Set(v.kind === "untouched" ? [p.id] : []);
          const diff = diffRole({ role, desired, untouched, actual, userToPerson, unmanagedMode: "ignore", onlyPersonId: p.id });
          await this.applyAdds(l, mapping.mailmanListId, diff.adds, people);
          await this.applyRemoves(l, mapping.mailmanListId, diff.removes);
        }
      });
    }
  }

  // P6, P7 -----------------------------------------------------------------------------------

  async deprovisionPerson(personId: number): Promise<void> {
    const row = await coreUserOfPerson(this.target.id, personId);
    if (!row?.mailmanUserId) return;
    const userId = row.mailmanUserId;
    await this.lock("person", personId, async () => {
      await this.mutate({ op: "delete_user", method: "DELETE", path: `/users/${userId}`, status: 204, personId, reason: `Mailman user ${userId} deleted` }, () => deleteUser(this.client, userId));
      if (this.dryRun) return;
      const db = await getDb();
      // Only after 204/404 (§8.7). A row shared with a self-service account stays, unmapped.
      if (row.accountId) await db.update(coreUsers).set({ mailmanUserId: null, personId: null, syncHash: null, updatedAt: sql`now()` }).where(eq(coreUsers.id, row.id));
      else await db.delete(coreUsers).where(eq(coreUsers.id, row.id));
      this.item({ personId, outcome: "unsubscribed", message: `Mailman user ${userId} deleted` });
    });
  }

  async deleteList(emailListId: number, mapping: ProvisionedListRow): Promise<void> {
    await this.lock("list", mapping.id, async () => {
      await this.mutate(
        { op: "delete_list", method: "DELETE", path: `/lists/${mapping.mailmanListId}`, status: 204, emailListId, mailmanListId: mapping.mailmanListId, reason: `Mailman list deleted (id: ${mapping.mailmanListId})` },
        async () => {
          try {
            await this.client.deleteList(mapping.mailmanListId);
          } catch (error) {
            if (!(error instanceof MailmanError && error.status === 404)) throw error;
          }
        },
      );
      if (this.dryRun) return;
      const db = await getDb();
      await db.delete(provisionedLists).where(and(eq(provisionedLists.id, mapping.id)));
      this.item({ emailListId, outcome: "unsubscribed", message: `Mailman list deleted (id: ${mapping.mailmanListId})` });
    });
  }
}

function toEntry(m: Member): RosterEntry {
  return {
    memberId: m.member_id ?? "",
    email: (m.email ?? "").toLowerCase(),
    role: m.role ?? "member",
    userId: m.user ? userIdOfLink(m.user) : null,
    subscriptionMode: m.subscription_mode ?? null,
  };
}

export type { GovernedRole };
