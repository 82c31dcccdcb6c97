import { sql } from "drizzle-orm";
import { integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { groups, people } from "./registry";
import { users } from "./users";

/**
 * SCIM 2.0 connectors (provisioning.md §6, §7.11): one per identity provider, each with its own
 * bearer token (separate from API tokens) and its mapping of SCIM `emails[].type` to registry
 * address types. The people and groups a connector created are linked to it, so each provider
 * sees (and filters, pages, patches) only its own resources.
 */

export const DEFAULT_EMAIL_TYPE_MAP: Record<string, string> = { work: "official", home: "personal", other: "personal" };

export const scimConnectors = pgTable(
  "scim_connectors",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    // SHA-256 of the token (256 random bits, so a slow hash adds nothing); shown once.
    tokenHash: text("token_hash").notNull(),
    emailTypeMap: jsonb("email_type_map").$type<Record<string, string>>().notNull().default(DEFAULT_EMAIL_TYPE_MAP),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("scim_connectors_hash_key").on(t.tokenHash)],
);

/** A registry person fed by a connector: its SCIM `userName` (unique per connector, any case). */
export const scimUsers = pgTable(
  "scim_users",
  {
    personId: integer("person_id")
      .primaryKey()
      .references(() => people.id, { onDelete: "cascade" }),
    connectorId: integer("connector_id")
      .notNull()
      .references(() => scimConnectors.id, { onDelete: "cascade" }),
    userName: text("user_name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("scim_users_connector_user_name_key").on(t.connectorId, sql`lower(${t.userName})`)],
);

/** A registry group fed by a connector. */
export const scimGroups = pgTable("scim_groups", {
  groupId: integer("group_id")
    .primaryKey()
    .references(() => groups.id, { onDelete: "cascade" }),
  connectorId: integer("connector_id")
    .notNull()
    .references(() => scimConnectors.id, { onDelete: "cascade" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
