import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { bulkItemStateEnum, bulkJobStatusEnum } from "./bulk-jobs";
import { provisionerTargets } from "./provisioner-targets";
import { users } from "./users";

/**
 * "Remove everywhere" (issue 11 item 2): one person's addresses taken off every list of every
 * Mailman server, as `mailman delmembers -m ADDRESS --fromall` does on one server. A job on the
 * job engine (lib/jobs/kinds.ts) with the same lease columns as a bulk job: the queue only says
 * "run job N", the rows say what is done, so a worker that dies is replaced by one that carries on.
 */
export const removeEverywhereJobs = pgTable(
  "remove_everywhere_jobs",
  {
    id: serial("id").primaryKey(),
    /** The address typed (and confirmed) by the superuser. */
    address: text("address").notNull(),
    /** Every address of the person the job covers (the typed one first). */
    addresses: jsonb("addresses").notNull().$type<string[]>(),
    /** The roles chosen: "member", and "owner"/"moderator" only when chosen explicitly. */
    roles: jsonb("roles").notNull().$type<string[]>(),
    globalBan: boolean("global_ban").notNull().default(false),
    status: bulkJobStatusEnum("status").notNull().default("queued"),
    total: integer("total").notNull().default(0),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    error: text("error"),
  },
  (t) => [index("remove_everywhere_jobs_unfinished_idx").on(t.status).where(sql`status in ('queued', 'running')`)],
);

/**
 * One (server, list, role, address) to remove, or one (server, address) to ban site-wide
 * (`kind` = "ban", no list). `pending` → `sending` (call possibly made) → `done` with an outcome;
 * an item left `sending` by a dead worker is sent again and its answer read as in doubt.
 */
export const removeEverywhereItems = pgTable(
  "remove_everywhere_items",
  {
    jobId: integer("job_id")
      .notNull()
      .references(() => removeEverywhereJobs.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    targetId: integer("target_id").references(() => provisionerTargets.id, { onDelete: "set null" }),
    /** Kept for the report when the server row is deleted later. */
    targetName: text("target_name").notNull(),
    kind: text("kind").notNull().$type<"membership" | "ban">(),
    listId: text("list_id"),
    role: text("role"),
    email: text("email").notNull(),
    state: bulkItemStateEnum("state").notNull().default("pending"),
    outcome: text("outcome"),
    detail: text("detail"),
    attempts: integer("attempts").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.position] })],
);
