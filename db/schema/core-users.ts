import { index, integer, pgTable, serial, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { provisionerTargets } from "./provisioner-targets";
import { people } from "./registry";
import { users } from "./users";

/**
 * One Mailman core user per human per Mailman server (ROADMAP, "one person, one core user").
 * Mailman lets an address belong to one core user only, so a member's Listkeeper account
 * (self-service) and a registry person (provisioning) that share a verified address must share
 * one core user, or the second one to act meets the first as an address conflict.
 *
 * A row is keyed by a Listkeeper account (`account_id`), by a registry person (`person_id`), or
 * by both once they are known to be the same human (one of the account's verified addresses is
 * one of the person's addresses). Whoever needs the core user first creates the row; the other
 * side links to that row instead of creating a second core user.
 *
 * Crash safety (provisioning.md §8.7): the row is written first, as an intent naming the address
 * it will create the user with (`intent_email`), then `POST /users` is sent and
 * `mailman_user_id` is stored straight after the 201. A row whose `mailman_user_id` is null is an
 * intent whose outcome is unknown: look the user up by `intent_email` before creating again.
 */
export const coreUsers = pgTable(
  "core_users",
  {
    id: serial("id").primaryKey(),
    targetId: integer("target_id")
      .notNull()
      .references(() => provisionerTargets.id, { onDelete: "cascade" }),
    // 32-hex user id of the core (API 3.1); null while only the intent is recorded.
    mailmanUserId: text("mailman_user_id"),
    accountId: uuid("account_id").references(() => users.id, { onDelete: "set null" }),
    // The registry person (provisioning).
    personId: integer("person_id").references(() => people.id, { onDelete: "set null" }),
    // Lower-cased address the core user is (to be) created with.
    intentEmail: text("intent_email"),
    // Hash of what was last pushed for this user (display name, addresses, preferred address):
    // an unchanged hash means the identity sync can be skipped (provisioning.md §11).
    syncHash: text("sync_hash"),
    lastSyncedAt: timestamp("last_synced_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("core_users_target_mailman_user_key").on(t.targetId, t.mailmanUserId),
    uniqueIndex("core_users_target_account_key").on(t.targetId, t.accountId),
    uniqueIndex("core_users_target_person_key").on(t.targetId, t.personId),
    index("core_users_target_intent_idx").on(t.targetId, t.intentEmail),
  ],
);
