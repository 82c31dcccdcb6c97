import { bigserial, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { provisionerTargets } from "./provisioner-targets";
import { users } from "./users";

/** The three levels at which the core looks a template up: list → domain → site (console.md §3.3). */
export const templateScopeEnum = pgEnum("template_scope", ["list", "domain", "site"]);

/**
 * Listkeeper's text of one core template at one level. `text` is what the editors saved;
 * `publishedText` is what the template endpoint serves to the core. They are kept apart because
 * the core caches what it fetched for `[mailman] cache_life` (7 days) and only forgets it when the
 * URI is set again: a save that went live by itself would reach some mail and not other.
 */
export const templates = pgTable(
  "templates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    targetId: integer("target_id")
      .notNull()
      .references(() => provisionerTargets.id, { onDelete: "cascade" }),
    scope: templateScopeEnum("scope").notNull(),
    // list_id for a list, mail_host for a domain, "" for the site.
    scopeId: text("scope_id").notNull(),
    name: text("name").notNull(),
    // "" = every language; per-language variants are not offered yet.
    language: text("language").notNull().default(""),
    text: text("text").notNull(),
    // null = the core is not pointed at Listkeeper for this template.
    publishedText: text("published_text"),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    publishedBy: uuid("published_by").references(() => users.id, { onDelete: "set null" }),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("templates_target_scope_name_key").on(t.targetId, t.scope, t.scopeId, t.name, t.language)],
);

/** Every change of a template's text: who, when, what it replaced. Restoring writes a new row. */
export const templateRevisions = pgTable(
  "template_revisions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    templateId: uuid("template_id")
      .notNull()
      .references(() => templates.id, { onDelete: "cascade" }),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    // "save" or "restore"
    action: text("action").notNull(),
    // null when this revision created the template.
    previousText: text("previous_text"),
    text: text("text").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("template_revisions_template_at_idx").on(t.templateId, t.at)],
);

/**
 * The HTTP Basic credentials the core of one target presents when it fetches templates. Unlike
 * Postorius' public endpoint, template text is never served to anyone else. The password is an
 * AES-256-GCM envelope bound to the target id (lib/crypto/secret-box.ts).
 */
export const templateEndpointCredentials = pgTable("template_endpoint_credentials", {
  targetId: integer("target_id")
    .primaryKey()
    .references(() => provisionerTargets.id, { onDelete: "cascade" }),
  username: text("username").notNull(),
  passwordEnc: text("password_enc").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
