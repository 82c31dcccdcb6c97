import { boolean, integer, pgEnum, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

export const provisionerModeEnum = pgEnum("provisioner_mode", [
  "automatic",
  "queue",
  "queue_on_error",
  "manual",
  "enrollment",
  "disabled",
]);
export const unmanagedEmailModeEnum = pgEnum("unmanaged_email_mode", ["remove", "ignore"]);
export const addressConflictModeEnum = pgEnum("address_conflict_mode", ["fail", "adopt", "absorb"]);
export const userCreationModeEnum = pgEnum("user_creation_mode", ["lazy", "all_active"]);

/**
 * A Mailman core that Listkeeper administers and provisions (provisioning.md §7.6).
 * The provisioning policy columns are stored now so the reconciler can rely on them later.
 */
export const provisionerTargets = pgTable(
  "provisioner_targets",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    plugin: text("plugin").notNull().default("mailman3"),
    mode: provisionerModeEnum("mode").notNull().default("automatic"),
    ordr: integer("ordr").notNull().default(0),
    // Base URL without the /3.1 suffix, e.g. http://127.0.0.1:8001
    serverUrl: text("server_url").notNull(),
    adminUser: text("admin_user").notNull(),
    // AES-256-GCM envelope bound to this row's id (lib/crypto/secret-box.ts); never leaves the server.
    adminPasswordEnc: text("admin_password_enc").notNull(),
    domain: text("domain").notNull(),
    prefEmailType: text("pref_email_type"),
    // Registry group whose valid members alone are provisioned (§7.6); a plain id, because the
    // registry tables reference this one (no import cycle between schema files).
    provisionGroupId: integer("provision_group_id"),
    unmanagedEmailMode: unmanagedEmailModeEnum("unmanaged_email_mode").notNull().default("remove"),
    addressConflictMode: addressConflictModeEnum("address_conflict_mode").notNull().default("fail"),
    userCreation: userCreationModeEnum("user_creation").notNull().default("lazy"),
    // null = the list's own default
    sendWelcomeMessage: boolean("send_welcome_message").default(false),
    quietUnsubscribe: boolean("quiet_unsubscribe").notNull().default(true),
    syncDisplayName: boolean("sync_display_name").notNull().default(true),
    deleteStaleAddresses: boolean("delete_stale_addresses").notNull().default(true),
    retryIntervalS: integer("retry_interval_s").notNull().default(900),
    maxRetry: integer("max_retry").notNull().default(5),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    lastVerifiedAt: timestamp("last_verified_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("provisioner_targets_name_key").on(t.name)],
);
