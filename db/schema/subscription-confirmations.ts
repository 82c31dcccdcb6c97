import { index, integer, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { provisionerTargets } from "./provisioner-targets";

/**
 * Subscriptions Listkeeper filed that wait for the subscriber to confirm by mail (the anonymous
 * form on a list's public page). The core cannot be asked cheaply which requests wait for whom,
 * so My lists shows these to whoever has the address confirmed in Listkeeper, and refuses a
 * second request while one waits. Keyed by address, not by account: the visitor may have
 * no account yet. The core's token confirms the subscription, so it is kept sealed
 * (lib/crypto/secret-box.ts, bound to server, list and address): Listkeeper needs it back to
 * cancel the request or file it anew.
 */
export const subscriptionConfirmations = pgTable(
  "subscription_confirmations",
  {
    id: serial("id").primaryKey(),
    targetId: integer("target_id")
      .notNull()
      .references(() => provisionerTargets.id, { onDelete: "cascade" }),
    listId: text("list_id").notNull(),
    // Lower-cased address the core mailed its confirmation to.
    email: text("email").notNull(),
    tokenSealed: text("token_sealed").notNull(),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull().defaultNow(),
    // The core forgets the request after its `pending_request_life` (3 days unless configured).
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("subscription_confirmations_key").on(t.targetId, t.listId, t.email), index("subscription_confirmations_email_idx").on(t.email)],
);
