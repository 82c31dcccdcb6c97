import { and, eq, inArray, lt, sql } from "drizzle-orm";
import pLimit from "p-limit";
import { getDb } from "@/db/client";
import { listSnapshotRefreshes, listSnapshots, provisionerTargets } from "@/db/schema";
import { logger } from "@/lib/logger";
import { MailmanError, MailmanTransportError, type MailingList, type MailmanClient } from "@/lib/mailman";
import { clientForTarget, StoredCredentialsError } from "@/lib/targets/targets";
import { parseCoreDate } from "./list-summary";

/**
 * The list index's copy of each server's lists (db/schema/list-snapshots.ts), so that a view of
 * the index asks the core nothing and costs the same with 50 lists or 5,000.
 *
 * Freshness: the job workers refresh every server each minute (`list-snapshot-refresh`, a pg-boss
 * schedule calling `refreshAllSnapshots`). A view finding a copy older than VIEW_REFRESH_AGE_MS
 * (the workers are behind or not running) starts a refresh and answers from the copy at once,
 * with its age; the first view of a server never read waits for it. Listkeeper's own changes
 * (create, delete, settings, disable) update their row at once. Refreshes are single-flight per
 * server within a process, and write only the rows that changed: with 5,000 unchanged lists a
 * refresh is one read of the core and one of the table, not 5,000 row updates.
 */
export const SNAPSHOT_MAX_AGE_MS = 60_000;
/**
 * A view refreshes only a copy this old: the workers' schedule keeps it younger, and a refresh of
 * a large server started by a view would share the app's process with the views themselves.
 */
export const VIEW_REFRESH_AGE_MS = 3 * SNAPSHOT_MAX_AGE_MS;
/** Last posts need one config read per list: a refresh reads this many, the longest unread first. */
export const LAST_POST_READS_PER_REFRESH = 100;

const UPSERT_BATCH = 500;

export interface SnapshotState {
  targetId: number;
  refreshedAt: Date | null;
  failedAt: Date | null;
  error: string | null;
}

function rowOf(targetId: number, list: MailingList, seenAt: Date) {
  return {
    targetId,
    listId: list.list_id,
    fqdn: list.fqdn_listname,
    displayName: list.display_name ?? list.list_name ?? "",
    description: list.description ?? "",
    advertised: Boolean(list.advertised),
    memberCount: list.member_count ?? 0,
    seenAt,
  };
}

type ListRow = ReturnType<typeof rowOf>;

/** Whether the stored row already says what the core said (then the refresh leaves it alone). */
export function sameListRow(stored: Omit<ListRow, "targetId" | "seenAt"> | undefined, row: ListRow): boolean {
  return (
    stored !== undefined &&
    stored.fqdn === row.fqdn &&
    stored.displayName === row.displayName &&
    stored.description === row.description &&
    stored.advertised === row.advertised &&
    stored.memberCount === row.memberCount
  );
}

const refreshedColumns = {
  fqdn: sql`excluded.fqdn`,
  displayName: sql`excluded.display_name`,
  description: sql`excluded.description`,
  advertised: sql`excluded.advertised`,
  memberCount: sql`excluded.member_count`,
  seenAt: sql`excluded.seen_at`,
};

/** Words a superuser understands for why a server's lists could not be read. */
export function refreshFailureText(error: unknown): string | null {
  if (error instanceof MailmanError || error instanceof MailmanTransportError) return error.userMessage;
  if (error instanceof StoredCredentialsError) return error.message;
  return null;
}

const inflight = new Map<number, Promise<void>>();

/** Reads all lists of one server into the snapshot (one call per 500 lists, then a few last posts). */
export function refreshTargetSnapshot(targetId: number): Promise<void> {
  const running = inflight.get(targetId);
  if (running) return running;
  const run = refreshNow(targetId).finally(() => inflight.delete(targetId));
  inflight.set(targetId, run);
  return run;
}

async function refreshNow(targetId: number): Promise<void> {
  const db = await getDb();
  const started = new Date();
  let client: MailmanClient;
  try {
    client = (await clientForTarget(targetId)).client;
    const lists = await client.allLists();
    await db.transaction(async (tx) => {
      const stored = await tx
        .select({ listId: listSnapshots.listId, fqdn: listSnapshots.fqdn, displayName: listSnapshots.displayName, description: listSnapshots.description, advertised: listSnapshots.advertised, memberCount: listSnapshots.memberCount })
        .from(listSnapshots)
        .where(eq(listSnapshots.targetId, targetId));
      const storedById = new Map(stored.map((row) => [row.listId, row]));
      const changed = lists.map((l) => rowOf(targetId, l, started)).filter((row) => !sameListRow(storedById.get(row.listId), row));
      for (let i = 0; i < changed.length; i += UPSERT_BATCH) {
        await tx.insert(listSnapshots).values(changed.slice(i, i + UPSERT_BATCH)).onConflictDoUpdate({ target: [listSnapshots.targetId, listSnapshots.listId], set: refreshedColumns });
      }
      // Rows this read did not see are gone from the core; rows an own change wrote since the
      // read started carry a later `seen_at` and stay.
      const seen = new Set(lists.map((l) => l.list_id));
      const gone = stored.filter((row) => !seen.has(row.listId)).map((row) => row.listId);
      for (let i = 0; i < gone.length; i += UPSERT_BATCH) {
        await tx.delete(listSnapshots).where(and(eq(listSnapshots.targetId, targetId), inArray(listSnapshots.listId, gone.slice(i, i + UPSERT_BATCH)), lt(listSnapshots.seenAt, started)));
      }
      await tx
        .insert(listSnapshotRefreshes)
        .values({ targetId, refreshedAt: new Date(), failedAt: null, error: null })
        .onConflictDoUpdate({ target: listSnapshotRefreshes.targetId, set: { refreshedAt: sql`excluded.refreshed_at`, failedAt: null, error: null } });
    });
  } catch (error) {
    const text = refreshFailureText(error) ?? "The lists could not be read (see the server log).";
    if (!refreshFailureText(error)) logger.error({ err: error, targetId }, "list snapshot refresh failed");
    await db
      .insert(listSnapshotRefreshes)
      .values({ targetId, failedAt: new Date(), error: text })
      .onConflictDoUpdate({ target: listSnapshotRefreshes.targetId, set: { failedAt: sql`excluded.failed_at`, error: sql`excluded.error` } })
      .catch(() => {});
    throw error;
  }
  await readLastPosts(client, targetId).catch((error) => logger.warn({ err: error, targetId }, "list snapshot: last posts not read"));
}

async function readLastPosts(client: MailmanClient, targetId: number): Promise<void> {
  const db = await getDb();
  const due = await db
    .select({ listId: listSnapshots.listId })
    .from(listSnapshots)
    .where(eq(listSnapshots.targetId, targetId))
    .orderBy(sql`${listSnapshots.lastPostCheckedAt} asc nulls first`)
    .limit(LAST_POST_READS_PER_REFRESH);
  const limit = pLimit(2);
  await Promise.all(
    due.map(({ listId }) =>
      limit(async () => {
        const config = await client.getListConfig(listId).catch(() => null);
        const lastPostAt = config ? parseCoreDate(typeof config.last_post_at === "string" ? config.last_post_at : null) : null;
        await db
          .update(listSnapshots)
          .set({ lastPostAt, lastPostCheckedAt: new Date() })
          .where(and(eq(listSnapshots.targetId, targetId), eq(listSnapshots.listId, listId)));
      }),
    ),
  );
}

/**
 * Every server's snapshot read again: what the job workers run every minute (the
 * `list-snapshot-refresh` schedule, lib/jobs/worker.ts), so that a view rarely finds a copy older
 * than SNAPSHOT_MAX_AGE_MS and never waits. A server that fails is recorded on its state and the
 * others go on.
 */
export async function refreshAllSnapshots(): Promise<{ refreshed: number; failed: number }> {
  const { listTargets } = await import("@/lib/targets/targets");
  const limit = pLimit(2);
  const results = await Promise.all(
    (await listTargets()).map((t) =>
      limit(() =>
        refreshTargetSnapshot(t.id).then(
          () => true,
          () => false,
        ),
      ),
    ),
  );
  return { refreshed: results.filter(Boolean).length, failed: results.filter((ok) => !ok).length };
}

export async function snapshotStates(targetIds: readonly number[]): Promise<Map<number, SnapshotState>> {
  if (targetIds.length === 0) return new Map();
  const db = await getDb();
  const rows = await db.select().from(listSnapshotRefreshes).where(inArray(listSnapshotRefreshes.targetId, [...targetIds]));
  return new Map(rows.map((r) => [r.targetId, r]));
}

/**
 * Makes the snapshots of these servers usable: a server never read completely is read now (the
 * caller waits); one older than SNAPSHOT_MAX_AGE_MS is refreshed in the background (the caller
 * answers from the copy). Failures are recorded on the server's state, never thrown.
 */
export async function ensureSnapshots(targetIds: readonly number[], now = Date.now()): Promise<Map<number, SnapshotState>> {
  const before = await snapshotStates(targetIds);
  const limit = pLimit(4);
  const waits: Promise<unknown>[] = [];
  for (const targetId of targetIds) {
    const state = before.get(targetId);
    const refreshedAt = state?.refreshedAt?.getTime();
    if (refreshedAt === undefined) {
      waits.push(limit(() => refreshTargetSnapshot(targetId)).catch(() => {}));
    } else if (now - refreshedAt >= VIEW_REFRESH_AGE_MS) {
      // In the background: the view answers from the copy and shows its age.
      refreshTargetSnapshot(targetId).catch(() => {});
    }
  }
  if (waits.length === 0) return before;
  await Promise.all(waits);
  return snapshotStates(targetIds);
}

/**
 * After Listkeeper changed a list (created it, saved settings, disabled it): its row is read again
 * at once, so the index shows the change on the next view. One core call; failures only logged
 * (the next refresh repairs the row).
 */
export async function snapshotListChanged(targetId: number, listId: string, client?: MailmanClient): Promise<void> {
  try {
    const core = client ?? (await clientForTarget(targetId)).client;
    const list = await core.getList(listId);
    if (!list) return snapshotListDeleted(targetId, listId);
    const db = await getDb();
    await db
      .insert(listSnapshots)
      .values(rowOf(targetId, list, new Date()))
      .onConflictDoUpdate({ target: [listSnapshots.targetId, listSnapshots.listId], set: refreshedColumns });
  } catch (error) {
    logger.warn({ err: error, targetId, listId }, "list snapshot: changed list not read");
  }
}

/** The config keys the index shows, and their snapshot columns. */
const INDEX_KEYS = { display_name: "displayName", description: "description", advertised: "advertised" } as const;

export function touchesIndex(patch: Record<string, unknown>): boolean {
  return Object.keys(patch).some((k) => k in INDEX_KEYS);
}

/**
 * After Listkeeper patched a list's config successfully: the index columns the patch set are
 * written from the patch itself (no core call); a patch of other keys changes nothing.
 */
export async function snapshotListPatched(targetId: number, listId: string, patch: Record<string, unknown>): Promise<void> {
  const set: Partial<typeof listSnapshots.$inferInsert> = {};
  if (typeof patch.display_name === "string") set.displayName = patch.display_name;
  if (typeof patch.description === "string") set.description = patch.description;
  if (typeof patch.advertised === "boolean") set.advertised = patch.advertised;
  if (Object.keys(set).length === 0) return;
  const db = await getDb();
  await db
    .update(listSnapshots)
    .set({ ...set, seenAt: new Date() })
    .where(and(eq(listSnapshots.targetId, targetId), eq(listSnapshots.listId, listId)));
}

/**
 * After Listkeeper deleted a list: its row goes at once, also from every other registered server
 * with the same REST URL (the same core registered twice shows the same lists).
 */
export async function snapshotListDeleted(targetId: number, listId: string): Promise<void> {
  const db = await getDb();
  const same = db.select({ id: provisionerTargets.id }).from(provisionerTargets).where(
    eq(provisionerTargets.serverUrl, db.select({ url: provisionerTargets.serverUrl }).from(provisionerTargets).where(eq(provisionerTargets.id, targetId))),
  );
  await db.delete(listSnapshots).where(and(eq(listSnapshots.listId, listId), inArray(listSnapshots.targetId, same)));
}
