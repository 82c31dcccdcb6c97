import { boolean, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { provisionerTargets } from "./provisioner-targets";

/**
 * What the list index shows of each list of each server, copied from the core so that a view
 * asks the core nothing (issue 13): the core computes every list's member count on each
 * `GET lists`, which grows with the number of lists. Refreshed in the background when older than
 * lib/lists/list-snapshot.ts SNAPSHOT_MAX_AGE_MS, and row by row at once by Listkeeper's own
 * changes (create, delete, settings, disable).
 */
export const listSnapshots = pgTable(
  "list_snapshots",
  {
    targetId: integer("target_id")
      .notNull()
      .references(() => provisionerTargets.id, { onDelete: "cascade" }),
    listId: text("list_id").notNull(),
    fqdn: text("fqdn").notNull(),
    displayName: text("display_name").notNull().default(""),
    description: text("description").notNull().default(""),
    advertised: boolean("advertised").notNull(),
    memberCount: integer("member_count").notNull().default(0),
    lastPostAt: timestamp("last_post_at", { withTimezone: true }),
    // When `last_post_at` was last read (one config read per list, so a few per refresh).
    lastPostCheckedAt: timestamp("last_post_checked_at", { withTimezone: true }),
    // When a refresh (or an own change) last saw the list; rows a full refresh did not see are deleted.
    seenAt: timestamp("seen_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.targetId, t.listId] }), index("list_snapshots_target_fqdn_idx").on(t.targetId, t.fqdn)],
);

/** Per server: when its lists were last read completely, and why the last attempt failed. */
export const listSnapshotRefreshes = pgTable("list_snapshot_refreshes", {
  targetId: integer("target_id")
    .primaryKey()
    .references(() => provisionerTargets.id, { onDelete: "cascade" }),
  refreshedAt: timestamp("refreshed_at", { withTimezone: true }),
  failedAt: timestamp("failed_at", { withTimezone: true }),
  error: text("error"),
});
