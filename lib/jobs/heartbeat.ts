import { hostname } from "node:os";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { jobWorkers } from "@/db/schema";
import { logger } from "@/lib/logger";

/** How often a worker says it is alive; the status page counts it dead after three missed beats. */
export const HEARTBEAT_INTERVAL_MS = 5_000;

/**
 * Records the worker in `job_workers` and touches its row every HEARTBEAT_INTERVAL_MS. A failed
 * beat is logged and the next one tries again: the heartbeat never stops the worker.
 */
export async function startHeartbeat(workerId: string, placement: "inline" | "external"): Promise<{ stop(): Promise<void> }> {
  const db = await getDb();
  await db
    .insert(jobWorkers)
    .values({ id: workerId, hostname: hostname(), pid: String(process.pid), placement })
    .onConflictDoUpdate({ target: jobWorkers.id, set: { lastSeenAt: sql`now()`, stoppedAt: null } });
  const timer = setInterval(() => {
    db.update(jobWorkers)
      .set({ lastSeenAt: sql`now()` })
      .where(eq(jobWorkers.id, workerId))
      .catch((error: unknown) => logger.warn({ err: error, worker: workerId }, "worker heartbeat failed"));
  }, HEARTBEAT_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await db
        .update(jobWorkers)
        .set({ stoppedAt: sql`now()` })
        .where(eq(jobWorkers.id, workerId))
        .catch((error: unknown) => logger.warn({ err: error, worker: workerId }, "could not record the worker's stop"));
    },
  };
}
