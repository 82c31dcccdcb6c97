import { and, asc, desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { removeEverywhereItems, removeEverywhereJobs } from "@/db/schema";
import type { PlannedItem, RemoveOutcome } from "./remove-plan";

/**
 * The tables of "remove everywhere" jobs (db/schema/remove-everywhere.ts): what the start action
 * writes, what a worker claims, renews and records, what the job page polls. The lease works as
 * for bulk jobs (lib/members/bulk-store.ts): one worker at a time, an expired lease means it died.
 */

export type RemoveEverywhereJob = typeof removeEverywhereJobs.$inferSelect;
export type RemoveEverywhereItem = typeof removeEverywhereItems.$inferSelect;

/** The job and its items in one transaction: a worker never sees a job without its items. */
export async function createRemoveEverywhereJob(input: {
  address: string;
  addresses: readonly string[];
  roles: readonly string[];
  globalBan: boolean;
  createdBy: string | null;
  items: readonly PlannedItem[];
}): Promise<number> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [job] = await tx
      .insert(removeEverywhereJobs)
      .values({
        address: input.address,
        addresses: [...input.addresses],
        roles: [...input.roles],
        globalBan: input.globalBan,
        createdBy: input.createdBy,
        total: input.items.length,
        // A job with nothing to do (every role kept) is finished at once.
        ...(input.items.length === 0 ? { status: "done" as const, finishedAt: new Date() } : {}),
      })
      .returning({ id: removeEverywhereJobs.id });
    if (input.items.length > 0) {
      await tx.insert(removeEverywhereItems).values(
        input.items.map((item, i) => ({
          jobId: job!.id,
          position: i + 1,
          targetId: item.targetId,
          targetName: item.targetName,
          kind: item.kind,
          listId: item.listId,
          role: item.role,
          email: item.email,
        })),
      );
    }
    return job!.id;
  });
}

export async function getRemoveEverywhereJob(jobId: number): Promise<RemoveEverywhereJob | null> {
  const db = await getDb();
  const [job] = await db.select().from(removeEverywhereJobs).where(eq(removeEverywhereJobs.id, jobId));
  return job ?? null;
}

export async function recentRemoveEverywhereJobs(address: string, limit = 5): Promise<RemoveEverywhereJob[]> {
  const db = await getDb();
  return db
    .select()
    .from(removeEverywhereJobs)
    .where(eq(removeEverywhereJobs.address, address.toLowerCase()))
    .orderBy(desc(removeEverywhereJobs.createdAt), desc(removeEverywhereJobs.id))
    .limit(limit);
}

// Leases ------------------------------------------------------------------------------------------

export async function claimJob(jobId: number, workerId: string, leaseMs: number): Promise<RemoveEverywhereJob | null> {
  const db = await getDb();
  const [job] = await db
    .update(removeEverywhereJobs)
    .set({
      status: "running",
      leaseOwner: workerId,
      leaseExpiresAt: sql`now() + ${`${leaseMs} milliseconds`}::interval`,
      startedAt: sql`coalesce(${removeEverywhereJobs.startedAt}, now())`,
    })
    .where(
      and(
        eq(removeEverywhereJobs.id, jobId),
        sql`${removeEverywhereJobs.status} in ('queued', 'running')`,
        sql`(${removeEverywhereJobs.leaseOwner} is null or ${removeEverywhereJobs.leaseOwner} = ${workerId} or ${removeEverywhereJobs.leaseExpiresAt} < now())`,
      ),
    )
    .returning();
  return job ?? null;
}

/** False when the lease was lost (another worker took over after this one stalled). */
export async function renewLease(jobId: number, workerId: string, leaseMs: number): Promise<boolean> {
  const db = await getDb();
  const rows = await db
    .update(removeEverywhereJobs)
    .set({ leaseExpiresAt: sql`now() + ${`${leaseMs} milliseconds`}::interval` })
    .where(and(eq(removeEverywhereJobs.id, jobId), eq(removeEverywhereJobs.leaseOwner, workerId)))
    .returning({ id: removeEverywhereJobs.id });
  return rows.length > 0;
}

export async function releaseLease(jobId: number, workerId: string): Promise<void> {
  const db = await getDb();
  await db
    .update(removeEverywhereJobs)
    .set({ leaseOwner: null, leaseExpiresAt: null })
    .where(and(eq(removeEverywhereJobs.id, jobId), eq(removeEverywhereJobs.leaseOwner, workerId)));
}

export async function finishJob(jobId: number, workerId: string, status: "done" | "failed", error?: string): Promise<void> {
  const db = await getDb();
  await db
    .update(removeEverywhereJobs)
    .set({ status, error: error ?? null, finishedAt: sql`now()`, leaseOwner: null, leaseExpiresAt: null })
    .where(and(eq(removeEverywhereJobs.id, jobId), eq(removeEverywhereJobs.leaseOwner, workerId)));
}

/** Unfinished jobs nobody works on: expired leases, or queued a while without a taker. */
export async function orphanedJobIds(queuedGraceMs: number): Promise<number[]> {
  const db = await getDb();
  const rows = await db
    .select({ id: removeEverywhereJobs.id })
    .from(removeEverywhereJobs)
    .where(
      and(
        sql`${removeEverywhereJobs.status} in ('queued', 'running')`,
        sql`(${removeEverywhereJobs.leaseExpiresAt} < now() or (${removeEverywhereJobs.leaseOwner} is null and ${removeEverywhereJobs.createdAt} < now() - ${`${queuedGraceMs} milliseconds`}::interval))`,
      ),
    )
    .orderBy(asc(removeEverywhereJobs.id));
  return rows.map((r) => r.id);
}

export async function unfinishedJobCount(): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(removeEverywhereJobs)
    .where(sql`${removeEverywhereJobs.status} in ('queued', 'running')`);
  return Number(row?.n ?? 0);
}

// Items ---------------------------------------------------------------------------------------------

/** Items left `sending` by a worker that stopped: the call may or may not have been made. */
export async function itemsInDoubt(jobId: number): Promise<RemoveEverywhereItem[]> {
  const db = await getDb();
  return db
    .select()
    .from(removeEverywhereItems)
    .where(and(eq(removeEverywhereItems.jobId, jobId), eq(removeEverywhereItems.state, "sending")))
    .orderBy(asc(removeEverywhereItems.position));
}

/** Marks the next pending item as being sent (in report order) and returns it. */
export async function claimNextItem(jobId: number): Promise<RemoveEverywhereItem | null> {
  const db = await getDb();
  const next = db
    .select({ position: removeEverywhereItems.position })
    .from(removeEverywhereItems)
    .where(and(eq(removeEverywhereItems.jobId, jobId), eq(removeEverywhereItems.state, "pending")))
    .orderBy(asc(removeEverywhereItems.position))
    .limit(1);
  const [item] = await db
    .update(removeEverywhereItems)
    .set({ state: "sending", attempts: sql`${removeEverywhereItems.attempts} + 1`, updatedAt: sql`now()` })
    .where(and(eq(removeEverywhereItems.jobId, jobId), eq(removeEverywhereItems.position, sql`(${next})`), eq(removeEverywhereItems.state, "pending")))
    .returning();
  return item ?? null;
}

export async function countAttempt(jobId: number, position: number): Promise<void> {
  const db = await getDb();
  await db
    .update(removeEverywhereItems)
    .set({ attempts: sql`${removeEverywhereItems.attempts} + 1`, updatedAt: sql`now()` })
    .where(and(eq(removeEverywhereItems.jobId, jobId), eq(removeEverywhereItems.position, position)));
}

export async function recordItem(jobId: number, position: number, outcome: RemoveOutcome, detail: string | null): Promise<void> {
  const db = await getDb();
  await db
    .update(removeEverywhereItems)
    .set({ state: "done", outcome, detail, updatedAt: sql`now()` })
    .where(and(eq(removeEverywhereItems.jobId, jobId), eq(removeEverywhereItems.position, position)));
}

export async function jobItems(jobId: number): Promise<RemoveEverywhereItem[]> {
  const db = await getDb();
  return db.select().from(removeEverywhereItems).where(eq(removeEverywhereItems.jobId, jobId)).orderBy(asc(removeEverywhereItems.position));
}
