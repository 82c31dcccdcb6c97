import { sql } from "drizzle-orm";
import { bigserial, boolean, index, integer, pgEnum, pgTable, serial, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { provisionerTargets } from "./provisioner-targets";
import { users } from "./users";

/**
 * The registry (provisioning.md §7.1–7.5, §7.9): people, their typed addresses, groups and their
 * memberships, and the email lists the provisioner keeps in step with Mailman. Addresses are
 * compared lower-cased everywhere: `mail_norm` is what every comparison and index uses.
 */

export const personStatusEnum = pgEnum("person_status", [
  "active",
  "grace_period",
  "suspended",
  "expired",
  "locked",
  "pending",
  "declined",
  "deleted",
  "duplicate",
]);
export const groupStatusEnum = pgEnum("group_status", ["active", "suspended"]);
export const emailListStatusEnum = pgEnum("email_list_status", ["active", "suspended"]);
export const membershipModeEnum = pgEnum("membership_mode", ["group", "self_service"]);
export const preferenceSourceEnum = pgEnum("list_preference_source", ["user", "init", "admin"]);

export const people = pgTable(
  "people",
  {
    id: serial("id").primaryKey(),
    displayName: text("display_name").notNull().default(""),
    givenName: text("given_name").notNull().default(""),
    familyName: text("family_name").notNull().default(""),
    status: personStatusEnum("status").notNull().default("active"),
    externalId: text("external_id"),
    source: text("source").notNull().default("manual"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("people_external_id_key").on(t.externalId)],
);

/**
 * `id` is monotonic on purpose: the lowest id wins ties in preferred-address selection (§2.4),
 * so addresses created together keep the order they were given in.
 */
export const emailAddresses = pgTable(
  "email_addresses",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    mail: text("mail").notNull(),
    mailNorm: text("mail_norm")
      .notNull()
      .generatedAlwaysAs(sql`lower(mail)`),
    type: text("type").notNull().default("official"),
    verified: boolean("verified").notNull().default(false),
    description: text("description").notNull().default(""),
    source: text("source").notNull().default("manual"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // Unique per person; shared across people on purpose, so conflicts can be found (§8.5).
  (t) => [uniqueIndex("email_addresses_person_mail_key").on(t.personId, t.mailNorm), index("email_addresses_mail_idx").on(t.mailNorm)],
);

export const groups = pgTable(
  "groups",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    status: groupStatusEnum("status").notNull().default("active"),
    externalId: text("external_id"),
    source: text("source").notNull().default("manual"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("groups_name_key").on(t.name).where(sql`deleted_at is null`), uniqueIndex("groups_external_id_key").on(t.externalId)],
);

/** Only `member = true` counts for lists; `owner` is group ownership, not list ownership. */
export const groupMemberships = pgTable(
  "group_memberships",
  {
    id: serial("id").primaryKey(),
    groupId: integer("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    member: boolean("member").notNull().default(true),
    owner: boolean("owner").notNull().default(false),
    validFrom: timestamp("valid_from", { withTimezone: true }),
    validThrough: timestamp("valid_through", { withTimezone: true }),
    source: text("source").notNull().default("manual"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("group_memberships_group_person_source_key").on(t.groupId, t.personId, t.source),
    index("group_memberships_person_idx").on(t.personId),
    index("group_memberships_valid_from_idx").on(t.validFrom),
    index("group_memberships_valid_through_idx").on(t.validThrough),
  ],
);

/** One list on one Mailman server (its target); `name` is the local part. */
export const emailLists = pgTable(
  "email_lists",
  {
    id: serial("id").primaryKey(),
    targetId: integer("target_id")
      .notNull()
      .references(() => provisionerTargets.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    status: emailListStatusEnum("status").notNull().default("active"),
    membershipMode: membershipModeEnum("membership_mode").notNull().default("group"),
    membersGroupId: integer("members_group_id").references(() => groups.id, { onDelete: "set null" }),
    adminsGroupId: integer("admins_group_id").references(() => groups.id, { onDelete: "set null" }),
    moderatorsGroupId: integer("moderators_group_id").references(() => groups.id, { onDelete: "set null" }),
    eligibilityGroupId: integer("eligibility_group_id").references(() => groups.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("email_lists_target_name_key").on(t.targetId, sql`lower(${t.name})`).where(sql`deleted_at is null`)],
);

/** IXP-style tri-state preference (§8.6): `subscribed` null means "no preference". */
export const listPreferences = pgTable(
  "list_preferences",
  {
    id: serial("id").primaryKey(),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    emailListId: integer("email_list_id")
      .notNull()
      .references(() => emailLists.id, { onDelete: "cascade" }),
    subscribed: boolean("subscribed"),
    source: preferenceSourceEnum("source").notNull().default("user"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("list_preferences_person_list_key").on(t.personId, t.emailListId)],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    // SHA-256 of the token (it has 256 random bits, so a slow hash adds nothing); shown once.
    tokenHash: text("token_hash").notNull(),
    // The token acts with its creator's rights at the moment of each call.
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("api_tokens_hash_key").on(t.tokenHash)],
);
