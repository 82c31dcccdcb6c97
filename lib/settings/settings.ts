import "server-only";
import { z } from "zod";
import type { ListAccess, ListRef } from "@/lib/auth/list-access";
import { auditStep, noteChange, plainMessage } from "@/lib/audit";
import { InvalidInputError } from "@/lib/errors";
import { MailmanError } from "@/lib/mailman";
import {
  getArchivers,
  getDigestInfo,
  patchArchivers,
  readListConfig,
  runDigestAction,
  type DigestInfo,
  type ListSettingsConfig,
} from "@/lib/mailman/list-settings";
import { ARCHIVER_PREFIX, FIELD_BY_KEY, SECTION_SLUGS, sectionFields, type SectionSlug, type SettingField } from "./catalogue";
import { configDrift, diffSection, pickSection, sameValue, type Change, type ConfigDrift, type CoreValues } from "./values";
import { snapshotListChanged, snapshotListPatched, touchesIndex } from "@/lib/lists/list-snapshot";
import { queryId } from "@/lib/validation/ids";

/** What a settings page shows: one section's values, never the moderator password's hash. */
export interface SectionView {
  section: SectionSlug;
  /** The config's `http_etag` when it was read: the core has no If-Match, so the save compares it. */
  etag: string;
  values: CoreValues;
  /** Archivers enabled on the server (Archiving section only); their switches are `archiver:<name>`. */
  archivers: string[];
  moderatorPasswordSet: boolean;
  digest: DigestInfo | null;
}

function archiverValues(archivers: Record<string, boolean>): CoreValues {
  return Object.fromEntries(Object.entries(archivers).map(([name, on]) => [`${ARCHIVER_PREFIX}${name}`, on]));
}

function toView(section: SectionSlug, config: ListSettingsConfig, archivers: Record<string, boolean> | null, digest: DigestInfo | null): SectionView {
  const names = Object.keys(archivers ?? {}).sort();
  const fields = sectionFields(section, names);
  return {
    section,
    etag: config.http_etag,
    values: { ...pickSection(fields, config), ...archiverValues(archivers ?? {}) },
    archivers: names,
    moderatorPasswordSet: typeof config.moderator_password === "string" && config.moderator_password.length > 0,
    digest,
  };
}

/**
 * One section of a list's settings: `GET …/config`, plus `…/archivers` for Archiving and
 * `…/digest` for Digest, in parallel.
 */
export async function loadSettingsSection(access: ListRef, section: SectionSlug): Promise<SectionView> {
  const { client, list } = access;
  const [config, archivers, digest] = await Promise.all([
    readListConfig(client, list.list_id),
    section === "archiving" ? getArchivers(client, list.list_id) : null,
    section === "digest" ? getDigestInfo(client, list.list_id) : null,
  ]);
  return toView(section, config, archivers, digest);
}

const formValue = z.union([z.string().max(100_000), z.boolean()]);

export const saveSettingsSchema = z.object({
  targetId: queryId,
  listId: z.string().min(1).max(320),
  section: z.enum(SECTION_SLUGS),
  /** `http_etag` of the config the form was loaded from. */
  etag: z.string().max(200),
  /** The section's values as loaded (what the owner saw): the base of the diff and of the conflict check. */
  original: z.record(z.string().max(200), z.unknown()),
  values: z.record(z.string().max(200), formValue),
  /** Set after the owner saw a conflict report and chose "Overwrite anyway". */
  overwrite: z.boolean().default(false),
});
export type SaveSettingsInput = z.input<typeof saveSettingsSchema>;

export type SaveResult =
  | { status: "unchanged"; view: null }
  | { status: "saved"; changes: Change[]; view: SectionView }
  /** Someone changed these keys since the form was loaded; nothing was written. `view` is the current state. */
  | { status: "conflict"; drift: ConfigDrift[]; view: SectionView }
  /**
   * The core refused (4xx). It may have saved part of the patch anyway, so the config was
   * read again: `saved` lists what did change, `fieldErrors` the core's words per field.
   */
  | { status: "rejected"; message: string; fieldErrors: Record<string, string>; saved: Change[]; notSaved: string[]; view: SectionView };

/** Finds the fields a core error message is about (mailman-rest.md §1 error shapes, Q-3, Q-11). */
export function mapCoreError(description: string, patch: Record<string, unknown>, fields: readonly SettingField[]): Record<string, string> {
  const out: Record<string, string> = {};
  const keys = Object.keys(patch);
  const labelFor = (key: string) => fields.find((f) => f.key === key)?.label ?? FIELD_BY_KEY.get(key)?.label ?? key;
  const put = (key: string, message: string) => {
    // Archivers are PATCHed by bare name (`400 Unexpected parameters: <name>`).
    const found = keys.includes(key) ? key : keys.includes(`${ARCHIVER_PREFIX}${key}`) ? `${ARCHIVER_PREFIX}${key}` : null;
    if (found) out[found] = `"${labelFor(found)}": ${message}`;
  };

  for (const match of description.matchAll(/Invalid Parameter "([^"]+)":\s*(.*?)(?=\s*Invalid Parameter "|$)/gs)) {
    const text = match[2]!.trim().replace(/^\.$/, "");
    put(match[1]!, text ? `the Mailman core refused this value (${text})` : "the Mailman core refused this value.");
  }
  let m: RegExpExecArray | null;
  if ((m = /Unexpected parameters: (.+)/.exec(description))) {
    for (const key of m[1]!.split(/,\s*/)) {
      // The core reports a language it has not enabled this way.
      const name = key.trim();
      if (name === "preferred_language") put(name, "this language is not enabled on the Mailman server.");
      else if (keys.includes(`${ARCHIVER_PREFIX}${name}`)) put(name, "this archiver is not enabled on the Mailman server (any more).");
      else put(name, `the Mailman core refused it (${description}).`);
    }
  }
  if ((m = /Unknown pipeline: (.+)/.exec(description))) put("posting_pipeline", `the Mailman server has no pipeline "${m[1]!.trim()}".`);
  if ((m = /(?:Read-only|Unknown) attribute: (\S+)/.exec(description))) put(m[1]!, description);
  if (Object.keys(out).length > 0) return out;

  // Post-validation errors name only the bad value, e.g. an acceptable alias.
  for (const key of keys) {
    const value = patch[key];
    if (Array.isArray(value) && value.some((v) => description.includes(String(v)))) put(key, `the Mailman core refused it: ${description}`);
  }
  if (Object.keys(out).length === 0 && keys.length === 1) put(keys[0]!, `the Mailman core refused it: ${description}`);
  return out;
}

async function readView(access: ListAccess, section: SectionSlug): Promise<SectionView> {
  return loadSettingsSection(access, section);
}

/** Describes the settings change (old → new per key); a refused one says the core's words. */
function auditChanges(access: ListAccess, section: SectionSlug, changes: Change[], outcome: "saved" | "partial" | "failed", error?: string) {
  return noteChange({
    targetId: access.target.id,
    action: "list.settings.update",
    subject: access.list.list_id,
    outcome: outcome === "saved" ? "ok" : outcome,
    detail: { section, outcome, changes: changes.map(({ key, from, to }) => ({ key, from, to })), ...(error ? { error } : {}) },
  });
}

/**
 * Saves one section: checks every value, compares the config's `http_etag` with the one the form
 * was loaded from (the core has no If-Match, console.md §9 point 9), sends only the changed keys
 * in one `PATCH …/config`, and reads the config again afterwards, also after a 4xx.
 */
export async function saveSettings(access: ListAccess, input: SaveSettingsInput): Promise<SaveResult> {
  const data = saveSettingsSchema.parse(input);
  const { client, list } = access;
  const archiverNames = Object.keys(data.original)
    .filter((k) => k.startsWith(ARCHIVER_PREFIX))
    .map((k) => k.slice(ARCHIVER_PREFIX.length));
  const fields = sectionFields(data.section, data.section === "archiving" ? archiverNames : []);
  const original = pickSection(fields, data.original);

  const diff = diffSection(fields, original, data.values);
  const firstError = Object.entries(diff.errors)[0];
  if (firstError) throw new InvalidInputError(firstError[1], { field: firstError[0] });
  if (diff.changes.length === 0) return { status: "unchanged", view: null };

  const [config, archivers] = await Promise.all([
    readListConfig(client, list.list_id),
    data.section === "archiving" && archiverNames.length > 0 ? getArchivers(client, list.list_id) : null,
  ]);
  const current = { ...pickSection(fields, config), ...archiverValues(archivers ?? {}) };
  if (!data.overwrite && (config.http_etag !== data.etag || archivers)) {
    // A changed etag may come from keys of other sections (or read-only ones such as
    // last_post_at); those are harmless because only the changed keys are sent.
    const drift = configDrift(fields, original, current);
    if (drift.length > 0) return { status: "conflict", drift, view: toView(data.section, config, archivers, null) };
  }

  const configPatch: Record<string, unknown> = {};
  const archiverPatch: Record<string, boolean> = {};
  for (const [key, value] of Object.entries(diff.patch)) {
    if (key.startsWith(ARCHIVER_PREFIX)) archiverPatch[key.slice(ARCHIVER_PREFIX.length)] = Boolean(value);
    else configPatch[key] = value;
  }

  try {
    if (Object.keys(configPatch).length > 0) await client.patchListConfig(list.list_id, configPatch);
    if (Object.keys(archiverPatch).length > 0) await patchArchivers(client, list.list_id, archiverPatch);
  } catch (error) {
    if (!(error instanceof MailmanError) || error.status >= 500 || error.status === 401) {
      await auditChanges(access, data.section, diff.changes, "failed", plainMessage(error));
      throw error;
    }
    // What the index shows may have been saved in part: read the list again for it.
    if (touchesIndex(configPatch)) await snapshotListChanged(access.target.id, list.list_id, client);
    // State unknown: the core may have committed part of the patch before failing.
    const view = await readView(access, data.section);
    const saved = diff.changes.filter((c) => {
      const field = fields.find((f) => f.key === c.key)!;
      return sameValue(field, view.values[c.key] ?? null, diff.patch[c.key]);
    });
    const notSaved = diff.changes.filter((c) => !saved.includes(c)).map((c) => c.key);
    if (saved.length > 0) await auditChanges(access, data.section, saved, "partial", error.userMessage);
    else await auditChanges(access, data.section, diff.changes, "failed", error.userMessage);
    return {
      status: "rejected",
      message: error.userMessage,
      fieldErrors: mapCoreError(error.description ?? error.title, diff.patch, fields),
      saved,
      notSaved,
      view,
    };
  }
  // Name, description or advertising may have changed: the list index shows it at once.
  await snapshotListPatched(access.target.id, list.list_id, configPatch);
  const view = await readView(access, data.section);
  await auditChanges(access, data.section, diff.changes, "saved");
  return { status: "saved", changes: diff.changes, view };
}

export const digestActionSchema = z.object({
  targetId: queryId,
  listId: z.string().min(1).max(320),
  action: z.enum(["send", "bump"]),
});

/** "Send digest now" / "Start a new volume": core features Postorius does not offer. */
export async function runDigest(access: ListAccess, action: "send" | "bump"): Promise<DigestInfo> {
  const { client, list } = access;
  await auditStep({ targetId: access.target.id, action: action === "send" ? "list.digest.send" : "list.digest.new_volume", subject: list.list_id }, () =>
    runDigestAction(client, list.list_id, action),
  );
  return getDigestInfo(client, list.list_id);
}

export const moderatorPasswordSchema = z.object({
  targetId: queryId,
  listId: z.string().min(1).max(320),
  password: z
    .string()
    .min(8, "The moderator password needs at least 8 characters.")
    .max(128, "The moderator password has at most 128 characters.")
    .refine((p) => !/[\r\n]/.test(p), "The moderator password must be a single line."),
});

/**
 * Sets the password moderators put in an `Approved:` header to pre-approve a post. Write-only:
 * the core stores a hash (and returns it on GET, which Listkeeper never shows); the audit log
 * records that it changed, never the value.
 */
export async function setModeratorPassword(access: ListAccess, password: string): Promise<void> {
  const { client, list } = access;
  await auditStep({ targetId: access.target.id, action: "list.moderator_password.set", subject: list.list_id }, () =>
    client.patchListConfig(list.list_id, { moderator_password: password }),
  );
}
