import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * One row per job worker process, touched every few seconds while it runs: the status page
 * (/admin/status) counts a worker alive while its heartbeat is recent, so a worker killed without
 * a clean stop drops out by itself.
 */
export const jobWorkers = pgTable("job_workers", {
  id: text("id").primaryKey(),
  hostname: text("hostname").notNull(),
  pid: text("pid").notNull(),
  /** "external" (its own process) or "inline" (inside the app, with PGlite). */
  placement: text("placement").notNull(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
  stoppedAt: timestamp("stopped_at", { withTimezone: true }),
});
