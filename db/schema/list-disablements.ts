import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgEnum, pgTable, serial, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { provisionerTargets } from "./provisioner-targets";
import { users } from "./users";

export const listDisableModeEnum = pgEnum("list_disable_mode", ["disabled", "archived"]);
/**
 * `disabling` and `enabling` are written before the first core call of each direction and left
 * in place when a call fails, so a half-done list is visible as such and either direction can be
 * run again to finish (every step is idempotent).
 */
export const listDisableStateEnum = pgEnum("list_disable_state", ["disabling", "disabled", "enabling", "enabled"]);

/** What a list had before it was disabled: exactly what re-enabling puts back. */
export interface ListSnapshot {
  owners: { email: string; displayName: string | null }[];
  defaultMemberAction: string | null;
  defaultNonmemberAction: string | null;
  /** The list's own bans (addresses and ^patterns), not the site-wide ones. */
  bans: string[];
  description: string;
}

/**
 * One disabling (or archiving) of a list and, once re-enabled, its undoing. At most one row per
 * list is not `enabled`; finished rows stay as history. The snapshot is written before anything
 * in the core changes, so re-enabling never depends on reading a half-disabled list.
 */
export const listDisablements = pgTable(
  "list_disablements",
  {
    id: serial("id").primaryKey(),
    targetId: integer("target_id")
      .notNull()
      .references(() => provisionerTargets.id, { onDelete: "cascade" }),
    listId: text("list_id").notNull(),
    // The posting address, for pages that show the row without asking the core.
    fqdn: text("fqdn").notNull(),
    mode: listDisableModeEnum("mode").notNull(),
    state: listDisableStateEnum("state").notNull(),
    previous: jsonb("previous").$type<ListSnapshot>().notNull(),
    // The site's "disabled lists" address that owns the list while it is disabled.
    placeholderOwner: text("placeholder_owner").notNull(),
    // Why the last run in either direction stopped; null once a run finished.
    error: text("error"),
    disabledBy: uuid("disabled_by").references(() => users.id, { onDelete: "set null" }),
    disabledAt: timestamp("disabled_at", { withTimezone: true }).notNull().defaultNow(),
    enabledBy: uuid("enabled_by").references(() => users.id, { onDelete: "set null" }),
    enabledAt: timestamp("enabled_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("list_disablements_open_key").on(t.targetId, t.listId).where(sql`state <> 'enabled'`),
    index("list_disablements_target_state_idx").on(t.targetId, t.state),
  ],
);
