import { and, asc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import pLimit from "p-limit";
import { getDb } from "@/db/client";
import { listDisablements, listSnapshots, provisionerTargets } from "@/db/schema";
import type { ListRole } from "@/lib/auth/roles";
import type { Viewer } from "@/lib/auth/users";
import type { MailmanClient } from "@/lib/mailman";
import { clientForTarget, listTargets } from "@/lib/targets/targets";
import { openDisablementsOf } from "./disable";
import { ensureSnapshots, refreshFailureText } from "./list-snapshot";

export interface ListIndexEntry {
  targetId: number;
  targetName: string;
  listId: string;
  fqdn: string;
  displayName: string;
  description: string;
  memberCount: number;
  advertised: boolean;
  /** Roles found through the viewer's own addresses (empty for superusers, who see all). */
  mine: boolean;
  /** Disabled or archived through Listkeeper (lib/lists/disable.ts), also while half-done. */
  disabled?: "disabled" | "archived" | null;
  /** From the snapshot (read a few lists per refresh): null when never or not read yet. */
  lastPostAt?: Date | null;
}

export const LIST_STATUS_FILTERS = ["all", "active", "disabled"] as const;
export type ListStatusFilter = (typeof LIST_STATUS_FILTERS)[number];

export interface ListIndexQuery {
  q?: string;
  page: number;
  pageSize: number;
  targetId?: number;
  /** "disabled": disabled and archived lists only; "active": the others. */
  status?: ListStatusFilter;
}

export interface ListIndexResult {
  entries: ListIndexEntry[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  unreachable: { targetId: number; targetName: string; message: string }[];
  /** When the oldest of the shown servers' snapshots was last read completely (null: never). */
  snapshotAt?: Date | null;
}

export function matchesQuery(entry: ListIndexEntry, q: string): boolean {
  const needle = q.trim().toLowerCase();
  if (!needle) return true;
  return [entry.fqdn, entry.displayName, entry.description, entry.listId].some((v) => v.toLowerCase().includes(needle));
}

const LISTED_ROLES: ReadonlySet<string> = new Set(["owner", "moderator", "member"]);
/** Memberships of one address read per call; people on more lists cost one call per this many. */
const MEMBERSHIP_PAGE = 1_000;

/**
 * The lists where `email` is an owner, moderator or member: `members/find` by subscriber, one
 * call for all roles. `nonmember` records are left out: the core makes them for anyone who ever
 * wrote to a list; such a list is not theirs and, when unadvertised, the list page would refuse them.
 */
async function ownListIds(client: MailmanClient, email: string): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const found = await client.findMembers({ subscriber: email }, { count: MEMBERSHIP_PAGE, page }, ["list_id", "role"]);
    for (const m of found.entries) if (m.list_id && m.role && LISTED_ROLES.has(m.role)) ids.push(m.list_id);
    if (page * MEMBERSHIP_PAGE >= found.total || found.entries.length === 0) return ids;
  }
}

/**
 * Lists a viewer may see, across every target: superusers see all; others see advertised lists
 * and the lists where one of their verified addresses is an owner, moderator or member.
 *
 * Names, descriptions, member counts and last posts come from the snapshot in the database
 * (lib/lists/list-snapshot.ts), searched and paged in SQL: a superuser's view asks the core
 * nothing, whatever the number of lists; anyone else's asks it only for their own memberships
 * (one `members/find` per verified address and server). `snapshotAt` says how old the copy is.
 */
export async function loadListIndex(viewer: Viewer, query: ListIndexQuery): Promise<ListIndexResult> {
  const targets = (await listTargets()).filter((t) => query.targetId === undefined || t.id === query.targetId);
  const unreachable: ListIndexResult["unreachable"] = [];
  const names = new Map(targets.map((t) => [t.id, t.name]));
  const limit = pLimit(4);
  const [states, own] = await Promise.all([
    ensureSnapshots(targets.map((t) => t.id)),
    viewer.isSuperuser
      ? Promise.resolve([] as { targetId: number; listId: string }[])
      : Promise.all(
          targets.map((summary) =>
            limit(async () => {
              try {
                const { client } = await clientForTarget(summary.id);
                const ids = (await Promise.all(viewer.verifiedEmails.map((email) => ownListIds(client, email)))).flat();
                return [...new Set(ids)].map((listId) => ({ targetId: summary.id, listId }));
              } catch (error) {
                const message = refreshFailureText(error);
                if (message === null) throw error;
                unreachable.push({ targetId: summary.id, targetName: summary.name, message });
                return [];
              }
            }),
          ),
        ).then((perTarget) => perTarget.flat()),
  ]);
  for (const t of targets) {
    const state = states.get(t.id);
    // A server whose last read failed: named, with what is known of its lists still shown.
    if (state?.error && state.failedAt && (!state.refreshedAt || state.failedAt > state.refreshedAt) && !unreachable.some((u) => u.targetId === t.id)) {
      unreachable.push({ targetId: t.id, targetName: t.name, message: state.error });
    }
  }
  unreachable.sort((a, b) => a.targetName.localeCompare(b.targetName));
  const page = await pageSnapshot({
    targetIds: targets.map((t) => t.id),
    everything: viewer.isSuperuser,
    own,
    q: query.q ?? "",
    status: query.status ?? "all",
    page: query.page,
    pageSize: query.pageSize,
  });
  const disabled = await openDisablementsOf([...new Set(page.rows.map((r) => r.targetId))]);
  const mine = new Set(own.map((o) => `${o.targetId}:${o.listId}`));
  const entries: ListIndexEntry[] = page.rows.map((r) => ({
    targetId: r.targetId,
    targetName: names.get(r.targetId) ?? "",
    listId: r.listId,
    fqdn: r.fqdn,
    displayName: r.displayName,
    description: r.description,
    memberCount: r.memberCount,
    advertised: r.advertised,
    mine: mine.has(`${r.targetId}:${r.listId}`),
    disabled: disabled.get(`${r.targetId}:${r.listId}`)?.mode ?? null,
    lastPostAt: r.lastPostAt,
  }));
  const refreshed = targets.map((t) => states.get(t.id)?.refreshedAt?.getTime()).filter((v): v is number => v !== undefined);
  return {
    entries,
    total: page.total,
    page: page.page,
    pageSize: page.pageSize,
    pageCount: page.pageCount,
    unreachable,
    snapshotAt: refreshed.length > 0 ? new Date(Math.min(...refreshed)) : null,
  };
}

/**
 * One page of the snapshot, filtered, searched (plain substring, case-insensitive, never a
 * pattern) and ordered by address, then server. A page past the end shows the last page.
 */
async function pageSnapshot(input: {
  targetIds: number[];
  everything: boolean;
  own: { targetId: number; listId: string }[];
  q: string;
  status: ListStatusFilter;
  page: number;
  pageSize: number;
}) {
  const pageSize = Math.max(1, Math.floor(input.pageSize));
  if (input.targetIds.length === 0) return { rows: [], total: 0, page: 1, pageSize, pageCount: 1 };
  const s = listSnapshots;
  const conditions: SQL[] = [inArray(s.targetId, input.targetIds)];
  if (!input.everything) {
    const ownKeys = input.own.map((o) => `${o.targetId}:${o.listId}`);
    conditions.push(ownKeys.length > 0 ? or(eq(s.advertised, true), inArray(sql`${s.targetId}::text || ':' || ${s.listId}`, ownKeys))! : eq(s.advertised, true));
  }
  const needle = input.q.trim().toLowerCase();
  if (needle) {
    conditions.push(
      sql`(strpos(lower(${s.fqdn}), ${needle}) > 0 or strpos(lower(${s.displayName}), ${needle}) > 0 or strpos(lower(${s.description}), ${needle}) > 0 or strpos(lower(${s.listId}), ${needle}) > 0)`,
    );
  }
  if (input.status !== "all") {
    const open = sql`exists (select 1 from ${listDisablements} d where d.target_id = ${s.targetId} and d.list_id = ${s.listId} and d.state <> 'enabled')`;
    conditions.push(input.status === "disabled" ? open : sql`not ${open}`);
  }
  const where = and(...conditions);
  const db = await getDb();
  const [{ total } = { total: 0 }] = await db.select({ total: sql<number>`count(*)::int` }).from(s).where(where);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(input.page) || 1), pageCount);
  const rows = await db
    .select({
      targetId: s.targetId,
      listId: s.listId,
      fqdn: s.fqdn,
      displayName: s.displayName,
      description: s.description,
      advertised: s.advertised,
      memberCount: s.memberCount,
      lastPostAt: s.lastPostAt,
    })
    .from(s)
    .innerJoin(provisionerTargets, eq(provisionerTargets.id, s.targetId))
    .where(where)
    .orderBy(asc(s.fqdn), asc(provisionerTargets.name), asc(s.targetId))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { rows, total, page, pageSize, pageCount };
}

/** Marks disabled lists (`modes` keyed `targetId:listId`) and keeps those the status filter asks for. */
export function withStatus(entries: readonly ListIndexEntry[], modes: ReadonlyMap<string, "disabled" | "archived">, status: ListStatusFilter): ListIndexEntry[] {
  const marked = entries.map((e) => ({ ...e, disabled: modes.get(`${e.targetId}:${e.listId}`) ?? null }));
  return status === "all" ? marked : marked.filter((e) => (status === "disabled") === (e.disabled !== null));
}

/**
 * Filters the entries of all targets by `q`, orders them by address (then server) and cuts out
 * one page. A page number past the end shows the last page, so a stale link never shows nothing.
 */
export function mergeAndPage(entries: readonly ListIndexEntry[], query: ListIndexQuery): Omit<ListIndexResult, "unreachable"> {
  const pageSize = Math.max(1, Math.floor(query.pageSize));
  const all = entries.filter((e) => matchesQuery(e, query.q ?? ""));
  all.sort((a, b) => a.fqdn.localeCompare(b.fqdn) || a.targetName.localeCompare(b.targetName) || a.targetId - b.targetId);
  const pageCount = Math.max(1, Math.ceil(all.length / pageSize));
  const page = Math.min(Math.max(1, Math.floor(query.page) || 1), pageCount);
  const start = (page - 1) * pageSize;
  return { entries: all.slice(start, start + pageSize), total: all.length, page, pageSize, pageCount };
}

export type { ListRole };
