import { index, integer, pgTable, serial, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { provisionerTargets } from "./provisioner-targets";
import { users } from "./users";

/**
 * Subscription and unsubscription requests a member filed through Listkeeper that wait for a
 * moderator. The core files a second request for the same unsubscription without complaint
 * and asking it which requests are pending costs one call per list, so Listkeeper keeps
 * its own record: one open request per account, list and kind.
 */
export const selfServiceRequests = pgTable(
  "self_service_requests",
  {
    id: serial("id").primaryKey(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    targetId: integer("target_id")
      .notNull()
      .references(() => provisionerTargets.id, { onDelete: "cascade" }),
    listId: text("list_id").notNull(),
    kind: text("kind", { enum: ["subscribe", "unsubscribe"] }).notNull(),
    // Lower-cased address the request is for ("primary" subscriptions: the primary address then).
    email: text("email").notNull(),
    // The core's workflow token (moderator-owned), used to cancel the request; sealed with the
    // secret box (lib/self-service/request-tokens.ts). Rows from before hold it plain.
    token: text("token").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("self_service_requests_open_key").on(t.accountId, t.targetId, t.listId, t.kind), index("self_service_requests_account_idx").on(t.accountId)],
);
