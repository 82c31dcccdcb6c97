import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

/**
 * Single-use links mailed by Listkeeper (address verification, password reset). Only a SHA-256
 * of the token is stored: a copy of the database cannot be turned into working links. A token is
 * spent by setting `used_at` in the same statement that checks it, so it works once.
 */
export const mailTokens = pgTable(
  "mail_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    purpose: text("purpose", { enum: ["verify_email", "reset_password"] }).notNull(),
    tokenHash: text("token_hash").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // Lower-cased address the link was mailed to (the one it verifies, for verify_email).
    email: text("email").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("mail_tokens_hash_key").on(t.tokenHash), index("mail_tokens_user_idx").on(t.userId)],
);
