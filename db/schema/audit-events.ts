import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";
import { provisionerTargets } from "./provisioner-targets";

/** The door a change came through (lib/audit/record.ts `auditDoor`); "system" is a change noted outside any door. */
export type AuditActorKind = "user" | "api_token" | "scim" | "scheduler" | "cli" | "system";
export type AuditOutcome = "ok" | "partial" | "failed";

/**
 * One row per change Listkeeper pushes to a Mailman core or to its own configuration.
 * Provisioning jobs and the JSON API write here too (actor kind and label say which door).
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    targetId: integer("target_id").references(() => provisionerTargets.id, { onDelete: "set null" }),
    /** Who made the change: a signed-in user, an API token, a SCIM connector, the scheduler, the CLI or the system. */
    actorKind: text("actor_kind").$type<AuditActorKind>().notNull().default("user"),
    /** The token's or connector's name, the job kind or the command; never a secret. */
    actorLabel: text("actor_label"),
    /** The list the change concerns (Mailman list id), for filtering and for owners' view. */
    listId: text("list_id"),
    action: text("action").notNull(),
    subject: text("subject").notNull().default(""),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    /** ok, partial (some items failed) or failed. */
    outcome: text("outcome").$type<AuditOutcome>().notNull().default("ok"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("audit_events_target_at_idx").on(t.targetId, t.at),
    index("audit_events_list_at_idx").on(t.targetId, t.listId, t.at),
    index("audit_events_at_idx").on(t.at),
  ],
);
