import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";
import { provisionerTargets } from "./provisioner-targets";

/**
 * One row per change Listkeeper pushes to a Mailman core or to its own configuration.
 * Provisioning jobs and the JSON API will write here too, so the shape is generic.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    targetId: integer("target_id").references(() => provisionerTargets.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    subject: text("subject").notNull().default(""),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audit_events_target_at_idx").on(t.targetId, t.at)],
);
