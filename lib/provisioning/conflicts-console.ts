import { and, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import pLimit from "p-limit";
import { getDb } from "@/db/client";
import { coreUsers, people, provisionerTargets, provisioningConflicts, userEmails } from "@/db/schema";
import { getUser, membershipsOfAddress, userAddresses, userIdOfLink } from "@/lib/mailman/users";
import { serverProblem } from "@/lib/targets/server-problem";
import { clientForTarget } from "@/lib/targets/targets";
import { allowedConflictActions, type ConflictAction, type ConflictKind } from "./sync-summary";

/**
 * The conflicts console (issue 10 item 4): open conflicts with what Listkeeper knows of the other
 * core user (read through lib/mailman: its addresses and memberships, and whether a registry
 * person or a member's account holds it), the actions the target allows, and resolved conflicts
 * with who resolved them and when.
 */

export const CONFLICTS_PER_PAGE = 20;

export interface OtherCoreUser {
  userId: string | null;
  displayName: string | null;
  createdOn: string | null;
  addresses: { email: string; verified: boolean; ofThisPerson: boolean }[];
  memberships: { listId: string; role: string; email: string }[];
  /** Who in Listkeeper holds this core user: another registry person, a member's account, nobody. */
  heldBy: { kind: "person"; personId: number; name: string } | { kind: "account" } | null;
  /** The core could not be asked (shown instead of the figures). */
  problem: string | null;
}

export interface ConflictRow {
  id: number;
  targetId: number;
  targetName: string;
  targetMode: string;
  addressConflictMode: string;
  personId: number;
  personName: string;
  personAddresses: string[];
  email: string;
  kind: ConflictKind;
  mailmanUserId: string | null;
  message: string;
  createdAt: string;
  resolvedAt: string | null;
  resolution: string | null;
  resolvedBy: string | null;
  actions: ConflictAction[];
  other: OtherCoreUser | null;
}

export async function conflictsPage(options: { open: boolean; page: number; targetId?: number; withCore?: boolean }) {
  const db = await getDb();
  const where = and(
    options.open ? isNull(provisioningConflicts.resolvedAt) : isNotNull(provisioningConflicts.resolvedAt),
    options.targetId !== undefined ? eq(provisioningConflicts.targetId, options.targetId) : undefined,
  );
  const rows = await db
    .select({
      c: provisioningConflicts,
      targetName: provisionerTargets.name,
      targetMode: provisionerTargets.mode,
      addressConflictMode: provisionerTargets.addressConflictMode,
      personName: people.displayName,
      resolver: sql<string | null>`(select ${userEmails.email} from ${userEmails} where ${userEmails.userId} = ${provisioningConflicts.resolvedBy} order by ${userEmails.isPrimary} desc, ${userEmails.email} limit 1)`,
    })
    .from(provisioningConflicts)
    .innerJoin(provisionerTargets, eq(provisionerTargets.id, provisioningConflicts.targetId))
    .innerJoin(people, eq(people.id, provisioningConflicts.personId))
    .where(where)
    .orderBy(options.open ? desc(provisioningConflicts.id) : desc(provisioningConflicts.resolvedAt))
    .limit(CONFLICTS_PER_PAGE)
    .offset((options.page - 1) * CONFLICTS_PER_PAGE);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(provisioningConflicts).where(where);
  const personIds = [...new Set(rows.map((r) => r.c.personId))];
  const { emailAddresses } = await import("@/db/schema");
  const addresses = personIds.length ? await db.select({ personId: emailAddresses.personId, mail: emailAddresses.mailNorm }).from(emailAddresses).where(inArray(emailAddresses.personId, personIds)) : [];
  const limit = pLimit(4);
  const items: ConflictRow[] = await Promise.all(
    rows.map((r) =>
      limit(async () => {
        const mine = addresses.filter((a) => a.personId === r.c.personId).map((a) => a.mail);
        return {
          id: r.c.id,
          targetId: r.c.targetId,
          targetName: r.targetName,
          targetMode: r.targetMode,
          addressConflictMode: r.addressConflictMode,
          personId: r.c.personId,
          personName: r.personName || `person ${r.c.personId}`,
          personAddresses: mine,
          email: r.c.email,
          kind: r.c.kind,
          mailmanUserId: r.c.mailmanUserId,
          message: r.c.message,
          createdAt: r.c.createdAt.toISOString(),
          resolvedAt: r.c.resolvedAt?.toISOString() ?? null,
          resolution: r.c.resolution,
          resolvedBy: r.resolver ?? (r.c.resolvedBy ? "a removed account" : r.c.resolvedAt ? "unknown" : null),
          actions: r.c.resolvedAt ? [] : allowedConflictActions(r.c.kind, r.targetMode),
          other: options.withCore === false || r.c.resolvedAt ? null : await otherCoreUser(r.c.targetId, r.c.email, r.c.mailmanUserId, mine),
        };
      }),
    ),
  );
  return { items, total: Number(count?.n ?? 0), page: options.page, perPage: CONFLICTS_PER_PAGE };
}

/**
 * The core user that holds the address: by its recorded id, else by the address. Its addresses
 * (marked when they are the person's too) and every membership of each address. Never its
 * password hash: only the fields named here leave this function.
 */
export async function otherCoreUser(targetId: number, email: string, recordedUserId: string | null, personAddresses: readonly string[]): Promise<OtherCoreUser> {
  const empty: OtherCoreUser = { userId: recordedUserId, displayName: null, createdOn: null, addresses: [], memberships: [], heldBy: null, problem: null };
  try {
    const { client } = await clientForTarget(targetId);
    let user = recordedUserId ? await getUser(client, recordedUserId) : null;
    if (!user) user = await getUser(client, email);
    if (!user) {
      const owner = await client.getAddress(email).catch(() => null);
      if (!owner?.user) return { ...empty, problem: "No Mailman user holds this address any more: adopting or ignoring both close the conflict." };
      user = await getUser(client, userIdOfLink(owner.user));
      if (!user) return { ...empty, problem: "No Mailman user holds this address any more." };
    }
    const mine = new Set(personAddresses.map((a) => a.toLowerCase()));
    const addrs = await userAddresses(client, user.user_id);
    const memberships = (await Promise.all(addrs.map((a) => membershipsOfAddress(client, a.email))))
      .flat()
      .filter((m) => m.email && addrs.some((a) => a.email.toLowerCase() === m.email!.toLowerCase()))
      .map((m) => ({ listId: m.list_id ?? "", role: m.role ?? "member", email: (m.email ?? "").toLowerCase() }));
    const db = await getDb();
    const [holder] = await db
      .select({ personId: coreUsers.personId, accountId: coreUsers.accountId, name: people.displayName })
      .from(coreUsers)
      .leftJoin(people, eq(people.id, coreUsers.personId))
      .where(and(eq(coreUsers.targetId, targetId), eq(coreUsers.mailmanUserId, user.user_id)));
    return {
      userId: user.user_id,
      displayName: user.display_name ?? null,
      createdOn: user.created_on ?? null,
      addresses: addrs.map((a) => ({ email: a.email.toLowerCase(), verified: Boolean(a.verified_on), ofThisPerson: mine.has(a.email.toLowerCase()) })),
      memberships: dedupe(memberships),
      heldBy: holder?.personId ? { kind: "person", personId: holder.personId, name: holder.name || `person ${holder.personId}` } : holder?.accountId ? { kind: "account" } : null,
      problem: null,
    };
  } catch (error) {
    const message = serverProblem(error);
    if (message === null) throw error;
    return { ...empty, problem: message };
  }
}

function dedupe<T extends { listId: string; role: string; email: string }>(rows: T[]): T[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = `${r.listId}|${r.role}|${r.email}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).sort((a, b) => a.listId.localeCompare(b.listId) || a.role.localeCompare(b.role));
}
