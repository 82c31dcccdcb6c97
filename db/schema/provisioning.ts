import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgEnum, pgTable, serial, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { provisionerTargets } from "./provisioner-targets";
import { emailLists, people } from "./registry";
import { users } from "./users";

/**
 * What the provisioner knows about Mailman and what it did there (provisioning.md §7.7, §7.10):
 * list mappings, jobs with their items, one event per REST mutation or error, and conflicts.
 * The person ↔ core user mapping is `core_users` (db/schema/core-users.ts), shared with member
 * self-service so that one human has one core user per server.
 */

export const provisionedLists = pgTable(
  "provisioned_lists",
  {
    id: serial("id").primaryKey(),
    targetId: integer("target_id")
      .notNull()
      .references(() => provisionerTargets.id, { onDelete: "cascade" }),
    emailListId: integer("email_list_id")
      .notNull()
      .references(() => emailLists.id, { onDelete: "cascade" }),
    mailmanListId: text("mailman_list_id").notNull(),
    fqdn: text("fqdn").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSyncedAt: timestamp("last_synced_at", { withTimezone: true }),
    lastResult: text("last_result"),
  },
  (t) => [
    uniqueIndex("provisioned_lists_target_list_key").on(t.targetId, t.emailListId),
    uniqueIndex("provisioned_lists_target_mailman_key").on(t.targetId, t.mailmanListId),
  ],
);

export const provisioningJobStatusEnum = pgEnum("provisioning_job_status", ["queued", "running", "succeeded", "partial", "failed"]);
export const provisioningSubjectEnum = pgEnum("provisioning_subject", ["person", "group", "list", "target", "sweep"]);

/**
 * One unit of provisioning work: a subject recomputed from scratch on every attempt (§8.7, "retries
 * never replay the old call list"). The lease keeps two workers apart; `nextAttemptAt` holds a
 * retry after a transport error until `retry_interval_s` has passed.
 */
export const provisioningJobs = pgTable(
  "provisioning_jobs",
  {
    id: serial("id").primaryKey(),
    targetId: integer("target_id")
      .notNull()
      .references(() => provisionerTargets.id, { onDelete: "cascade" }),
    subjectType: provisioningSubjectEnum("subject_type").notNull(),
    subjectId: integer("subject_id"),
    action: text("action").notNull(),
    // Options of the action: { force, onlyListId, lastSweepAt … }.
    options: jsonb("options").$type<Record<string, unknown>>().notNull().default({}),
    status: provisioningJobStatusEnum("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    requestedBy: uuid("requested_by").references(() => users.id, { onDelete: "set null" }),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("provisioning_jobs_due_idx").on(t.nextAttemptAt).where(sql`status in ('queued', 'running')`),
    index("provisioning_jobs_subject_idx").on(t.subjectType, t.subjectId),
    index("provisioning_jobs_target_idx").on(t.targetId, t.createdAt),
  ],
);

/** The outcome of one (person, list, role) or identity step of the latest attempt of a job. */
export const provisioningJobItems = pgTable(
  "provisioning_job_items",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    jobId: integer("job_id")
      .notNull()
      .references(() => provisioningJobs.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    personId: integer("person_id"),
    emailListId: integer("email_list_id"),
    email: text("email"),
    role: text("role"),
    outcome: text("outcome").notNull(),
    message: text("message").notNull().default(""),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("provisioning_job_items_job_idx").on(t.jobId, t.attempt)],
);

/** One row per Mailman mutation or error (§7.10), kept across attempts: the history. */
export const provisioningEvents = pgTable(
  "provisioning_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    jobId: integer("job_id").references(() => provisioningJobs.id, { onDelete: "set null" }),
    targetId: integer("target_id").references(() => provisionerTargets.id, { onDelete: "cascade" }),
    personId: integer("person_id").references(() => people.id, { onDelete: "set null" }),
    emailListId: integer("email_list_id").references(() => emailLists.id, { onDelete: "set null" }),
    op: text("op").notNull(),
    role: text("role"),
    mailmanListId: text("mailman_list_id"),
    email: text("email"),
    method: text("method"),
    path: text("path"),
    httpStatus: integer("http_status"),
    message: text("message").notNull().default(""),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("provisioning_events_person_idx").on(t.personId, t.at),
    index("provisioning_events_list_idx").on(t.emailListId, t.at),
    index("provisioning_events_job_idx").on(t.jobId, t.at),
  ],
);

export const conflictKindEnum = pgEnum("provisioning_conflict_kind", ["preferred_owned_by_person", "preferred_owned_by_unmapped", "secondary_owned", "shared_address"]);

/** An address another Mailman user holds (§8.5): shown in the console, never retried on its own. */
export const provisioningConflicts = pgTable(
  "provisioning_conflicts",
  {
    id: serial("id").primaryKey(),
    targetId: integer("target_id")
      .notNull()
      .references(() => provisionerTargets.id, { onDelete: "cascade" }),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    kind: conflictKindEnum("kind").notNull(),
    mailmanUserId: text("mailman_user_id"),
    message: text("message").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    resolution: text("resolution"),
    // Who resolved it (the conflicts console keeps resolved conflicts with their resolver).
    resolvedBy: uuid("resolved_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("provisioning_conflicts_open_key").on(t.targetId, t.personId, t.email).where(sql`resolved_at is null`),
    index("provisioning_conflicts_target_idx").on(t.targetId, t.createdAt),
  ],
);

/** Where the validity sweep of each target stopped: it handles boundaries in (lastSweepAt, now]. */
export const provisioningSweeps = pgTable("provisioning_sweeps", {
  targetId: integer("target_id")
    .primaryKey()
    .references(() => provisionerTargets.id, { onDelete: "cascade" }),
  lastSweepAt: timestamp("last_sweep_at", { withTimezone: true }).notNull(),
});
