import { z } from "zod";
import { queryId } from "@/lib/validation/ids";

/**
 * A list's whole configuration as code (issue 11 item 6): the JSON document Listkeeper exports and
 * imports. Versioned; unknown top-level keys are refused, so a typo never passes silently.
 *
 * ```json
 * {
 *   "format": "listkeeper/list-config",
 *   "version": 1,
 *   "exportedAt": "2026-11-30T12:00:00.000Z",
 *   "source": { "server": "Main", "listId": "alpha.example.org", "postingAddress": "alpha@example.org" },
 *   "settings": { "subscription_policy": "confirm", "max_message_size": 40, "...": "..." },
 *   "archivers": { "mhonarc": false },
 *   "headerFilters": [{ "header": "x-spam-flag", "pattern": "yes", "action": "discard", "tag": null }],
 *   "bans": ["spammer@example.net", "^.*@spam\\.example$"],
 *   "templates": [
 *     { "name": "list:member:regular:footer", "text": "-- \nAlpha", "published": true },
 *     { "name": "list:user:notice:welcome", "uri": "file:///etc/mailman3/welcome.txt" }
 *   ],
 *   "owners": ["owner@example.org"],
 *   "moderators": []
 * }
 * ```
 *
 * - `settings`: the list's writable settings as the core's REST API spells them (mailman-rest.md
 *   §3.1; every key of lib/settings/catalogue.ts). The moderator password is never exported.
 * - `archivers`: the archivers enabled on the source server and whether the list uses them.
 * - `headerFilters`: in order; `action` null means the site's default chain.
 * - `bans`: the list's own bans (addresses, and patterns starting with "^").
 * - `templates`: list-level templates: Listkeeper's text (and whether it is published to the core),
 *   or a URI the core was pointed at by something else (without its credentials, which the core
 *   keeps secret from Listkeeper too).
 * - `owners`, `moderators`: addresses. Members are never part of the configuration.
 *
 * Importing makes the list match the document, part by part (the parts chosen): settings that
 * differ are changed, rules, bans, templates and roles the document lacks are removed.
 */

export const LIST_CONFIG_FORMAT = "listkeeper/list-config";
export const LIST_CONFIG_VERSION = 1;

export const CONFIG_PARTS = ["settings", "headerFilters", "bans", "templates", "roles"] as const;
export type ConfigPart = (typeof CONFIG_PARTS)[number];
export const CONFIG_PART_LABELS: Record<ConfigPart, string> = {
  settings: "Settings",
  headerFilters: "Header filters",
  bans: "Bans",
  templates: "Templates",
  roles: "Owners and moderators",
};

/**
 * Settings that name one list: copied between lists they would make B call itself A. Left out
 * unless the import says otherwise.
 */
export const LIST_IDENTITY_KEYS = ["display_name", "description", "info", "subject_prefix"] as const;

const headerFilterSchema = z.object({
  header: z.string().min(1).max(100),
  pattern: z.string().min(1).max(1000),
  // `defer` is accepted by the core but shunts every post: never imported.
  action: z.enum(["hold", "reject", "discard", "accept"]).nullable(),
  tag: z.string().max(100).nullable().default(null),
});
export type ConfigHeaderFilter = z.infer<typeof headerFilterSchema>;

const templateSchema = z.union([
  z.object({ name: z.string().min(1).max(100), text: z.string().max(20_000), published: z.boolean() }).strict(),
  z.object({ name: z.string().min(1).max(100), uri: z.string().min(1).max(2_000) }).strict(),
]);
export type ConfigTemplate = z.infer<typeof templateSchema>;

const address = z.string().trim().toLowerCase().pipe(z.email());

export const listConfigDocumentSchema = z
  .object({
    format: z.literal(LIST_CONFIG_FORMAT),
    version: z.literal(LIST_CONFIG_VERSION),
    exportedAt: z.string().optional(),
    source: z.object({ server: z.string(), listId: z.string(), postingAddress: z.string() }).optional(),
    settings: z.record(z.string(), z.unknown()).default({}),
    archivers: z.record(z.string(), z.boolean()).default({}),
    headerFilters: z.array(headerFilterSchema).max(500).default([]),
    bans: z.array(z.string().min(1).max(320)).max(10_000).default([]),
    templates: z.array(templateSchema).max(100).default([]),
    owners: z.array(address).max(1_000).default([]),
    moderators: z.array(address).max(1_000).default([]),
  })
  .strict();
export type ListConfigDocument = z.infer<typeof listConfigDocumentSchema>;

/** Reads a document from text, with the first problems in words a list owner understands. */
export function parseConfigDocument(text: string): { document: ListConfigDocument } | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { problem: `This is not JSON: ${(error as Error).message}` };
  }
  const format = (json as { format?: unknown } | null)?.format;
  if (format !== LIST_CONFIG_FORMAT) return { problem: `This is not a Listkeeper list configuration (its "format" must be "${LIST_CONFIG_FORMAT}").` };
  const version = (json as { version?: unknown }).version;
  if (version !== LIST_CONFIG_VERSION) return { problem: `Version ${String(version)} of the format is not known here; this Listkeeper reads version ${LIST_CONFIG_VERSION}.` };
  const parsed = listConfigDocumentSchema.safeParse(json);
  if (!parsed.success) {
    return { problem: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "document"}: ${i.message}`).join("; ") };
  }
  return { document: parsed.data };
}

const listRefShape = { targetId: queryId, listId: z.string().min(1).max(320) };
const choices = {
  parts: z.array(z.enum(CONFIG_PARTS)).min(1, "Choose at least one part to apply.").max(CONFIG_PARTS.length),
  includeIdentity: z.boolean().default(false),
};

export const importPreviewSchema = z.object({ ...listRefShape, document: z.string().min(2).max(2_000_000), ...choices });
export const importApplySchema = importPreviewSchema.extend({ fingerprint: z.string().length(64) });

/** Lists to copy to, as typed: posting addresses or list ids, one per line, on one server. */
export const copyTargetsSchema = z.array(z.object({ targetId: queryId, listId: z.string().min(1).max(320) })).min(1, "Name at least one list to copy to.").max(50, "At most 50 lists at a time.");
export const copyPreviewSchema = z.object({ ...listRefShape, to: copyTargetsSchema, ...choices });
export const copyApplySchema = copyPreviewSchema.extend({ fingerprints: z.record(z.string(), z.string().length(64)) });
