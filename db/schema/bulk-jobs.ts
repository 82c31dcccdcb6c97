import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, serial, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { provisionerTargets } from "./provisioner-targets";
import { users } from "./users";

export const bulkJobKindEnum = pgEnum("bulk_job_kind", ["subscribe", "remove"]);
export const bulkJobStatusEnum = pgEnum("bulk_job_status", ["queued", "running", "done", "failed", "cancelled"]);
export const bulkItemStateEnum = pgEnum("bulk_item_state", ["pending", "sending", "done"]);

/**
 * One mass subscribe or removal on one list (console.md §9.4–5). The queue (pg-boss) only says
 * "run job N"; what has been done lives here and in `bulk_job_items`, so that a worker killed
 * mid-job can be replaced by another that carries on where it stopped. `leaseOwner` /
 * `leaseExpiresAt` keep two workers from running the same job: the holder renews the lease while
 * it works, and an expired lease means its worker died.
 */
export const bulkJobs = pgTable(
  "bulk_jobs",
  {
    id: serial("id").primaryKey(),
    targetId: integer("target_id")
      .notNull()
      .references(() => provisionerTargets.id, { onDelete: "cascade" }),
    listId: text("list_id").notNull(),
    kind: bulkJobKindEnum("kind").notNull(),
    status: bulkJobStatusEnum("status").notNull().default("queued"),
    // Subscribe: the §3.4 flags and delivery mode. Remove: notify, wholeRoster.
    options: jsonb("options").notNull().$type<Record<string, unknown>>(),
    // "text", "csv" or "roster" (remove-all: the items are collected by the worker).
    source: text("source").notNull(),
    total: integer("total").notNull().default(0),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    cancelRequested: boolean("cancel_requested").notNull().default(false),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    // Why the job as a whole stopped (the core unreachable for too long, the list deleted …).
    error: text("error"),
  },
  (t) => [
    index("bulk_jobs_list_idx").on(t.targetId, t.listId, t.createdAt),
    index("bulk_jobs_unfinished_idx").on(t.status).where(sql`status in ('queued', 'running')`),
  ],
);

/**
 * One address of a bulk job, in input order. `pending` → `sending` (claimed by a worker, call
 * possibly made) → `done` with an outcome. After a crash, `sending` items are "in doubt": the
 * core may or may not have acted, and `expectedMember` (what the roster said when the job was
 * made) decides how a repeated call's answer is read, so the report stays exact.
 */
export const bulkJobItems = pgTable(
  "bulk_job_items",
  {
    jobId: integer("job_id")
      .notNull()
      .references(() => bulkJobs.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    email: text("email").notNull(),
    displayName: text("display_name"),
    expectedMember: boolean("expected_member").notNull().default(false),
    state: bulkItemStateEnum("state").notNull().default("pending"),
    outcome: text("outcome"),
    detail: text("detail"),
    attempts: integer("attempts").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.position] }), index("bulk_job_items_state_idx").on(t.jobId, t.state, t.position)],
);
