import { createHash } from "node:crypto";
import { noteChange, type AuditAction } from "@/lib/audit";
import type { ListAccess } from "@/lib/auth/list-access";
import { forgetListRoles } from "@/lib/auth/list-roles";
import { authorizeList } from "@/lib/auth/list-access";
import { templateBaseUrl } from "@/lib/env";
import { AppError, ConflictError, InvalidInputError } from "@/lib/errors";
import { MailmanError, MailmanTransportError, type MailmanClient } from "@/lib/mailman";
import { addBan, allBans, removeBan } from "@/lib/mailman/bans";
import { addHeaderMatch, deleteHeaderMatch, listHeaderMatches, moveHeaderMatch, updateHeaderMatch, type HeaderMatchAction } from "@/lib/mailman/header-matches";
import { getArchivers, patchArchivers, readListConfig } from "@/lib/mailman/list-settings";
import { removeRole } from "@/lib/mailman/members";
import { deleteTemplateUri, setTemplateUris } from "@/lib/mailman/templates";
import { mapCoreError } from "@/lib/settings/settings";
import { ALL_FIELDS, FIELD_BY_KEY } from "@/lib/settings/catalogue";
import { describeValue, parseField, sameValue, toFormValue } from "@/lib/settings/values";
import { publishTemplate, resetTemplate, saveTemplate, templateOverview, type TemplateOwner } from "@/lib/templates/templates";
import { allowedAtScope } from "@/lib/templates/catalogue";
import type { Viewer } from "@/lib/auth/users";
import {
  LIST_CONFIG_FORMAT,
  LIST_CONFIG_VERSION,
  LIST_IDENTITY_KEYS,
  type ConfigHeaderFilter,
  type ConfigPart,
  type ConfigTemplate,
  type ListConfigDocument,
} from "./document";

/**
 * Configuration as code (issue 11 item 6): export a list's configuration as a document
 * (./document.ts), and make another list match one, with a preview of every change first. The
 * preview is a plan computed from what the list has now; applying computes it again and refuses
 * when it differs from the one the owner saw (someone changed the list in between). Each part is
 * applied on its own and reported on its own: a refusal of one part does not stop the others.
 */

// Export ------------------------------------------------------------------------------------------

const listOwner = (access: ListAccess): TemplateOwner => ({ targetId: access.target.id, scope: "list", scopeId: access.list.list_id });

function headerFilterOf(m: { header: string; pattern: string; action?: string | null; tag?: string | null }): ConfigHeaderFilter {
  const action = m.action && ["hold", "reject", "discard", "accept"].includes(m.action) ? (m.action as HeaderMatchAction) : null;
  return { header: m.header, pattern: m.pattern, action, tag: m.tag ?? null };
}

export async function exportListConfig(access: ListAccess): Promise<ListConfigDocument> {
  const { client, list } = access;
  const [config, archivers, matches, bans, templates, owners, moderators] = await Promise.all([
    readListConfig(client, list.list_id),
    getArchivers(client, list.list_id),
    listHeaderMatches(client, list.list_id),
    allBans(client, { listId: list.list_id }),
    templateOverview(client, listOwner(access)),
    client.fullRoster(list.list_id, "owner", ["email"]),
    client.fullRoster(list.list_id, "moderator", ["email"]),
  ]);
  if (templates.coreProblem) throw new ConflictError(`The list's templates could not be read: ${templates.coreProblem}`);
  const exportedTemplates: ConfigTemplate[] = [];
  for (const t of templates.templates) {
    if (t.text !== null && (t.core?.kind !== "other")) exportedTemplates.push({ name: t.info.name, text: t.text, published: t.core?.kind === "listkeeper" && t.publishedText !== null });
    else if (t.core?.kind === "other") exportedTemplates.push({ name: t.info.name, uri: t.core.uri });
  }
  return {
    format: LIST_CONFIG_FORMAT,
    version: LIST_CONFIG_VERSION,
    exportedAt: new Date().toISOString(),
    source: { server: access.target.name, listId: list.list_id, postingAddress: list.fqdn_listname },
    settings: Object.fromEntries(ALL_FIELDS.map((f) => [f.key, config[f.key] ?? null])),
    archivers,
    headerFilters: matches.sort((a, b) => a.position - b.position).map(headerFilterOf),
    bans: bans.map((b) => b.email),
    templates: exportedTemplates,
    owners: owners.map((o) => (o.email ?? "").toLowerCase()).filter(Boolean),
    moderators: moderators.map((o) => (o.email ?? "").toLowerCase()).filter(Boolean),
  };
}

// Plan --------------------------------------------------------------------------------------------

export interface SettingChange {
  key: string;
  label: string;
  from: string;
  to: string;
  warning?: string;
}

export interface ConfigPlan {
  targetId: number;
  listId: string;
  postingAddress: string;
  parts: ConfigPart[];
  settings: { changes: SettingChange[]; patch: Record<string, unknown>; archivers: Record<string, boolean>; skipped: string[]; problems: string[] };
  headerFilters: { add: ConfigHeaderFilter[]; remove: ConfigHeaderFilter[]; update: { rule: ConfigHeaderFilter; from: ConfigHeaderFilter }[]; reorder: boolean };
  bans: { add: string[]; remove: string[] };
  templates: { lines: { name: string; change: string }[]; problems: string[] };
  roles: { add: { email: string; role: "owner" | "moderator" }[]; remove: { email: string; role: "owner" | "moderator" }[]; problems: string[] };
  /** Nothing would change. */
  empty: boolean;
  /** Hash of the changes: applying refuses a list whose plan no longer has this one. */
  fingerprint: string;
}

const ruleKey = (r: { header: string; pattern: string }) => `${r.header.toLowerCase()}\u0000${r.pattern}`;

interface CurrentState {
  config: Record<string, unknown>;
  archivers: Record<string, boolean>;
  rules: ConfigHeaderFilter[];
  bans: string[];
  templates: Awaited<ReturnType<typeof templateOverview>>;
  owners: string[];
  moderators: string[];
}

async function readCurrent(access: ListAccess, parts: ReadonlySet<ConfigPart>): Promise<CurrentState> {
  const { client, list } = access;
  const none = async <T>(value: T) => value;
  const [config, archivers, matches, bans, templates, owners, moderators] = await Promise.all([
    parts.has("settings") ? readListConfig(client, list.list_id) : none({}),
    parts.has("settings") ? getArchivers(client, list.list_id) : none({}),
    parts.has("headerFilters") ? listHeaderMatches(client, list.list_id) : none([]),
    parts.has("bans") ? allBans(client, { listId: list.list_id }) : none([]),
    parts.has("templates") ? templateOverview(client, listOwner(access)) : none({ templates: [], coreProblem: null, baseUrl: null }),
    parts.has("roles") ? client.fullRoster(list.list_id, "owner", ["email"]) : none([]),
    parts.has("roles") ? client.fullRoster(list.list_id, "moderator", ["email"]) : none([]),
  ]);
  return {
    config: config as Record<string, unknown>,
    archivers,
    rules: [...matches].sort((a, b) => a.position - b.position).map(headerFilterOf),
    bans: bans.map((b) => b.email),
    templates,
    owners: owners.map((o) => (o.email ?? "").toLowerCase()).filter(Boolean),
    moderators: moderators.map((o) => (o.email ?? "").toLowerCase()).filter(Boolean),
  };
}

function planSettings(document: ListConfigDocument, current: CurrentState, includeIdentity: boolean): ConfigPlan["settings"] {
  const out: ConfigPlan["settings"] = { changes: [], patch: {}, archivers: {}, skipped: [], problems: [] };
  for (const [key, value] of Object.entries(document.settings)) {
    const field = FIELD_BY_KEY.get(key);
    if (!field) {
      out.problems.push(`"${key}" is not a setting Listkeeper knows: skipped.`);
      continue;
    }
    if (!includeIdentity && (LIST_IDENTITY_KEYS as readonly string[]).includes(key)) {
      out.skipped.push(field.label);
      continue;
    }
    const before = current.config[key] ?? null;
    // The same checks as the settings form: a value the form would refuse is refused here too.
    const parsed = value === null && before === null ? { ok: true as const, value: null } : parseField(field, toFormValue(field, value), before);
    if (!parsed.ok) {
      out.problems.push(parsed.message);
      continue;
    }
    if (sameValue(field, before, parsed.value)) continue;
    out.patch[key] = parsed.value;
    out.changes.push({ key, label: field.label, from: describeValue(field, before), to: describeValue(field, parsed.value), warning: field.risk?.(parsed.value) });
  }
  for (const [name, on] of Object.entries(document.archivers)) {
    if (!(name in current.archivers)) {
      out.problems.push(`The archiver "${name}" is not enabled on this server: skipped.`);
      continue;
    }
    if (current.archivers[name] === on) continue;
    out.archivers[name] = on;
    out.changes.push({ key: `archiver:${name}`, label: `Archive with ${name}`, from: current.archivers[name] ? "Yes" : "No", to: on ? "Yes" : "No" });
  }
  return out;
}

function planHeaderFilters(document: ListConfigDocument, current: CurrentState): ConfigPlan["headerFilters"] {
  const wanted = new Map(document.headerFilters.map((r) => [ruleKey(r), r]));
  const have = new Map(current.rules.map((r) => [ruleKey(r), r]));
  const add = document.headerFilters.filter((r) => !have.has(ruleKey(r)));
  const remove = current.rules.filter((r) => !wanted.has(ruleKey(r)));
  const update = document.headerFilters
    .filter((r) => have.has(ruleKey(r)))
    .map((rule) => ({ rule, from: have.get(ruleKey(rule))! }))
    .filter(({ rule, from }) => rule.action !== from.action || (rule.tag ?? "") !== (from.tag ?? ""));
  const keptOrder = current.rules.filter((r) => wanted.has(ruleKey(r))).map(ruleKey);
  const finalOrder = [...keptOrder, ...add.map(ruleKey)];
  const reorder = finalOrder.join("\u0001") !== document.headerFilters.map(ruleKey).join("\u0001");
  return { add, remove, update, reorder };
}

function planTemplates(document: ListConfigDocument, current: CurrentState): ConfigPlan["templates"] {
  const out: ConfigPlan["templates"] = { lines: [], problems: [] };
  if (current.templates.coreProblem) {
    out.problems.push(`The list's template addresses could not be read: ${current.templates.coreProblem}`);
    return out;
  }
  const byName = new Map(current.templates.templates.map((t) => [t.info.name, t]));
  const named = new Set<string>();
  for (const wanted of document.templates) {
    named.add(wanted.name);
    const now = byName.get(wanted.name);
    if (!now || !allowedAtScope(wanted.name, "list")) {
      out.problems.push(`"${wanted.name}" is not a list template: skipped.`);
      continue;
    }
    if ("uri" in wanted) {
      if (now.core?.kind !== "other" || now.core.uri !== wanted.uri) out.lines.push({ name: wanted.name, change: `point the core at ${wanted.uri}` });
      continue;
    }
    if (now.text !== wanted.text) out.lines.push({ name: wanted.name, change: "save the text (kept in the template's history)" });
    const publishedNow = now.core?.kind === "listkeeper" && now.publishedText !== null;
    if (wanted.published && (!publishedNow || now.text !== wanted.text || now.publishedText !== wanted.text)) {
      if (!templateBaseUrl) out.problems.push(`"${wanted.name}" cannot be published: TEMPLATE_BASE_URL is not set. Its text is saved unpublished.`);
      else out.lines.push({ name: wanted.name, change: "publish it to the core" });
    }
    if (!wanted.published && now.core && now.core.kind !== "none") out.lines.push({ name: wanted.name, change: "stop serving it (the core falls back to its default)" });
  }
  for (const t of current.templates.templates) {
    if (named.has(t.info.name) || !t.core || t.core.kind === "none") continue;
    out.lines.push({ name: t.info.name, change: "stop serving it (not in the configuration)" });
  }
  return out;
}

function planRoles(document: ListConfigDocument, current: CurrentState): ConfigPlan["roles"] {
  const out: ConfigPlan["roles"] = { add: [], remove: [], problems: [] };
  for (const [role, wanted, have] of [
    ["owner", document.owners, current.owners],
    ["moderator", document.moderators, current.moderators],
  ] as const) {
    for (const email of wanted) if (!have.includes(email)) out.add.push({ email, role });
    if (role === "owner" && wanted.length === 0) {
      if (have.length > 0) out.problems.push("The configuration names no owners: the list's owners are kept (a list needs one).");
      continue;
    }
    for (const email of have) if (!wanted.includes(email)) out.remove.push({ email, role });
  }
  return out;
}

function fingerprintOf(plan: Omit<ConfigPlan, "fingerprint" | "empty">): string {
  const { settings, headerFilters, bans, templates, roles, parts } = plan;
  return createHash("sha256")
    .update(JSON.stringify({ parts, settings: { patch: settings.patch, archivers: settings.archivers }, headerFilters, bans, templates: templates.lines, roles: { add: roles.add, remove: roles.remove } }))
    .digest("hex");
}

/** What importing `document` into the list would change, part by part (reads only). */
export async function planImport(access: ListAccess, document: ListConfigDocument, options: { parts: readonly ConfigPart[]; includeIdentity: boolean }): Promise<ConfigPlan> {
  const parts = new Set(options.parts);
  const current = await readCurrent(access, parts);
  const none = { changes: [], patch: {}, archivers: {}, skipped: [], problems: [] };
  const draft: Omit<ConfigPlan, "fingerprint" | "empty"> = {
    targetId: access.target.id,
    listId: access.list.list_id,
    postingAddress: access.list.fqdn_listname,
    parts: [...parts].sort(),
    settings: parts.has("settings") ? planSettings(document, current, options.includeIdentity) : none,
    headerFilters: parts.has("headerFilters") ? planHeaderFilters(document, current) : { add: [], remove: [], update: [], reorder: false },
    bans: parts.has("bans")
      ? { add: document.bans.filter((b) => !current.bans.includes(b)), remove: current.bans.filter((b) => !document.bans.includes(b)) }
      : { add: [], remove: [] },
    templates: parts.has("templates") ? planTemplates(document, current) : { lines: [], problems: [] },
    roles: parts.has("roles") ? planRoles(document, current) : { add: [], remove: [], problems: [] },
  };
  const empty =
    draft.settings.changes.length === 0 &&
    draft.headerFilters.add.length + draft.headerFilters.remove.length + draft.headerFilters.update.length === 0 &&
    !draft.headerFilters.reorder &&
    draft.bans.add.length + draft.bans.remove.length === 0 &&
    draft.templates.lines.length === 0 &&
    draft.roles.add.length + draft.roles.remove.length === 0;
  return { ...draft, empty, fingerprint: fingerprintOf(draft) };
}

// Apply -------------------------------------------------------------------------------------------

export interface PartResult {
  part: ConfigPart;
  done: string[];
  failed: string[];
}

export interface ApplyResult {
  listId: string;
  postingAddress: string;
  results: PartResult[];
  ok: boolean;
}

function failureText(error: unknown): string {
  if (error instanceof MailmanError || error instanceof MailmanTransportError) return error.userMessage;
  if (error instanceof AppError) return error.message;
  throw error;
}

async function each<T>(items: readonly T[], result: PartResult, label: (item: T) => string, fn: (item: T) => Promise<void>): Promise<void> {
  for (const item of items) {
    try {
      await fn(item);
      result.done.push(label(item));
    } catch (error) {
      result.failed.push(`${label(item)}: ${failureText(error)}`);
    }
  }
}

async function applySettings(access: ListAccess, plan: ConfigPlan, result: PartResult): Promise<void> {
  const { client, list } = access;
  const { patch, archivers, changes } = plan.settings;
  try {
    if (Object.keys(patch).length > 0) await client.patchListConfig(list.list_id, patch);
    result.done.push(...changes.filter((c) => !c.key.startsWith("archiver:")).map((c) => `${c.label}: ${c.to}`));
  } catch (error) {
    if (!(error instanceof MailmanError) || error.status >= 500 || error.status === 401) throw error;
    // The core may have saved part of the patch before refusing (Q-3): read it again and say which.
    const config = await readListConfig(client, list.list_id);
    for (const c of changes.filter((c) => !c.key.startsWith("archiver:"))) {
      const field = FIELD_BY_KEY.get(c.key)!;
      if (sameValue(field, config[c.key] ?? null, patch[c.key])) result.done.push(`${c.label}: ${c.to}`);
      else result.failed.push(`${c.label}: ${mapCoreError(error.description ?? error.title, patch, ALL_FIELDS)[c.key] ?? `not saved (${error.userMessage})`}`);
    }
  }
  if (Object.keys(archivers).length > 0) {
    try {
      await patchArchivers(client, list.list_id, archivers);
      result.done.push(...Object.entries(archivers).map(([name, on]) => `Archive with ${name}: ${on ? "Yes" : "No"}`));
    } catch (error) {
      result.failed.push(`Archivers: ${failureText(error)}`);
    }
  }
}

async function applyHeaderFilters(client: MailmanClient, listId: string, plan: ConfigPlan, document: ListConfigDocument, result: PartResult): Promise<void> {
  const describe = (r: ConfigHeaderFilter) => `${r.header}: ${r.pattern}`;
  // Additions first: the list never has fewer filters than it needs while this runs.
  await each(plan.headerFilters.add, result, (r) => `added ${describe(r)}`, async (r) => {
    await addHeaderMatch(client, listId, { header: r.header, pattern: r.pattern, action: r.action, tag: r.tag });
  });
  const positionOf = async (rule: ConfigHeaderFilter) => (await listHeaderMatches(client, listId)).find((m) => ruleKey(m) === ruleKey(rule))?.position;
  await each(plan.headerFilters.update, result, ({ rule }) => `changed ${describe(rule)}`, async ({ rule, from }) => {
    const position = await positionOf(rule);
    if (position === undefined) throw new ConflictError("the rule is gone");
    await updateHeaderMatch(client, listId, position, {
      ...(rule.action !== from.action ? { action: rule.action } : {}),
      ...((rule.tag ?? "") !== (from.tag ?? "") ? { tag: rule.tag ?? "" } : {}),
    });
  });
  await each(plan.headerFilters.remove, result, (r) => `removed ${describe(r)}`, async (r) => {
    const position = await positionOf(r);
    if (position !== undefined) await deleteHeaderMatch(client, listId, position);
  });
  if (plan.headerFilters.reorder) {
    try {
      const order = (await listHeaderMatches(client, listId)).sort((a, b) => a.position - b.position).map(ruleKey);
      const wanted = document.headerFilters.map(ruleKey).filter((k) => order.includes(k));
      for (let to = 0; to < wanted.length; to++) {
        const from = order.indexOf(wanted[to]!);
        if (from === to) continue;
        await moveHeaderMatch(client, listId, from, to);
        order.splice(to, 0, ...order.splice(from, 1));
      }
      result.done.push("put the rules in the configuration's order");
    } catch (error) {
      result.failed.push(`order of the rules: ${failureText(error)}`);
    }
  }
}

async function applyTemplates(access: ListAccess, document: ListConfigDocument, plan: ConfigPlan, result: PartResult): Promise<void> {
  const owner = listOwner(access);
  const actor = access.viewer.id;
  const current = await templateOverview(access.client, owner);
  const byName = new Map(current.templates.map((t) => [t.info.name, t]));
  const named = new Set(document.templates.map((t) => t.name));
  for (const wanted of document.templates) {
    const now = byName.get(wanted.name);
    if (!now) continue;
    try {
      if ("uri" in wanted) {
        if (now.core?.kind !== "other" || now.core.uri !== wanted.uri) {
          await setTemplateUris(access.client, { scope: "list", listId: access.list.list_id }, { [wanted.name]: wanted.uri });
          result.done.push(`${wanted.name}: pointed at ${wanted.uri}`);
        }
        continue;
      }
      if (now.text !== wanted.text) {
        await saveTemplate(owner, wanted.name, wanted.text, actor);
        result.done.push(`${wanted.name}: text saved`);
      }
      const publishedNow = now.core?.kind === "listkeeper" && now.publishedText !== null;
      if (wanted.published && templateBaseUrl && (!publishedNow || now.publishedText !== wanted.text)) {
        const published = await publishTemplate(access.client, owner, wanted.name, actor, { selfCheck: false });
        result.done.push(`${wanted.name}: published at ${published.uri}`);
      }
      if (!wanted.published && now.core && now.core.kind !== "none") {
        await resetTemplate(access.client, owner, wanted.name);
        result.done.push(`${wanted.name}: no longer served`);
      }
    } catch (error) {
      result.failed.push(`${wanted.name}: ${failureText(error)}`);
    }
  }
  for (const t of current.templates) {
    if (named.has(t.info.name) || !t.core || t.core.kind === "none") continue;
    try {
      if (t.core.kind === "listkeeper") await resetTemplate(access.client, owner, t.info.name);
      else await deleteTemplateUri(access.client, { scope: "list", listId: access.list.list_id }, t.info.name);
      result.done.push(`${t.info.name}: no longer served`);
    } catch (error) {
      result.failed.push(`${t.info.name}: ${failureText(error)}`);
    }
  }
  result.failed.push(...plan.templates.problems.filter((p) => p.includes("cannot be published")));
}

async function applyRoles(access: ListAccess, plan: ConfigPlan, result: PartResult): Promise<void> {
  const { client, list } = access;
  // New owners before any is removed: the list is never left without one.
  await each(plan.roles.add, result, (r) => `${r.email} made ${r.role}`, async (r) => {
    try {
      await client.subscribe({ listId: list.list_id, subscriber: r.email, role: r.role, preVerified: true, preConfirmed: true, preApproved: true });
    } catch (error) {
      if (error instanceof MailmanError && error.status === 400 && /already/i.test(error.description ?? "")) return;
      throw error;
    }
  });
  await each(plan.roles.remove, result, (r) => `${r.email} no longer ${r.role}`, async (r) => {
    try {
      await removeRole(client, list.list_id, r.role, r.email);
    } catch (error) {
      if (!(error instanceof MailmanError && error.status === 404)) throw error;
    }
  });
  forgetListRoles(access.target.id, list.list_id);
}

/**
 * Makes the list match `document` for the chosen parts. `fingerprint` is the plan the owner
 * saw; a list whose plan has changed since is refused before anything is sent.
 */
export async function applyImport(
  access: ListAccess,
  document: ListConfigDocument,
  options: { parts: readonly ConfigPart[]; includeIdentity: boolean; fingerprint: string },
  audit: { action: Extract<AuditAction, "list.config.import" | "list.config.copy">; source: string },
): Promise<ApplyResult> {
  const plan = await planImport(access, document, options);
  if (plan.fingerprint !== options.fingerprint) {
    throw new ConflictError(`${access.list.fqdn_listname} changed since the preview: review the changes again before applying them.`);
  }
  const results: PartResult[] = [];
  const run = async (part: ConfigPart, fn: (result: PartResult) => Promise<void>) => {
    if (!plan.parts.includes(part)) return;
    const result: PartResult = { part, done: [], failed: [] };
    try {
      await fn(result);
    } catch (error) {
      result.failed.push(failureText(error));
    }
    results.push(result);
  };
  await run("settings", (r) => applySettings(access, plan, r));
  await run("headerFilters", (r) => applyHeaderFilters(access.client, access.list.list_id, plan, document, r));
  await run("bans", async (r) => {
    await each(plan.bans.remove, r, (b) => `removed ${b}`, (b) => removeBan(access.client, { listId: access.list.list_id }, b));
    await each(plan.bans.add, r, (b) => `added ${b}`, (b) => addBan(access.client, { listId: access.list.list_id }, b));
  });
  await run("templates", (r) => applyTemplates(access, document, plan, r));
  await run("roles", (r) => applyRoles(access, plan, r));
  const ok = results.every((r) => r.failed.length === 0);
  await noteChange({
    targetId: access.target.id,
    action: audit.action,
    subject: access.list.list_id,
    outcome: ok ? "ok" : "partial",
    detail: { source: audit.source, parts: plan.parts, includeIdentity: options.includeIdentity, ok, results },
  });
  return { listId: access.list.list_id, postingAddress: access.list.fqdn_listname, results, ok };
}

// Copy from one list to others ------------------------------------------------------------------

export interface CopyPreview {
  plans: ConfigPlan[];
  /** Lists that could not be planned (not found, not theirs, the core refused), with why. */
  refused: { targetId: number; listId: string; message: string }[];
}

async function targetAccess(viewer: Viewer, targetId: number, listId: string): Promise<ListAccess> {
  return authorizeList(viewer, targetId, listId.trim(), "administer");
}

function refusal(error: unknown): string {
  if (error instanceof AppError) return error.message;
  return failureText(error);
}

export async function previewCopy(
  source: ListAccess,
  to: readonly { targetId: number; listId: string }[],
  options: { parts: readonly ConfigPart[]; includeIdentity: boolean },
): Promise<CopyPreview> {
  const document = await exportListConfig(source);
  const out: CopyPreview = { plans: [], refused: [] };
  for (const ref of to) {
    try {
      const access = await targetAccess(source.viewer, ref.targetId, ref.listId);
      if (access.target.id === source.target.id && access.list.list_id === source.list.list_id) throw new InvalidInputError("This is the list the settings come from.");
      out.plans.push(await planImport(access, document, options));
    } catch (error) {
      out.refused.push({ ...ref, message: refusal(error) });
    }
  }
  return out;
}

/** Applies the source list's configuration to each list, each against the plan previewed for it. */
export async function applyCopy(
  source: ListAccess,
  to: readonly { targetId: number; listId: string }[],
  options: { parts: readonly ConfigPart[]; includeIdentity: boolean; fingerprints: Record<string, string> },
): Promise<{ results: ApplyResult[]; refused: CopyPreview["refused"] }> {
  const document = await exportListConfig(source);
  const results: ApplyResult[] = [];
  const refused: CopyPreview["refused"] = [];
  for (const ref of to) {
    try {
      const access = await targetAccess(source.viewer, ref.targetId, ref.listId);
      const fingerprint = options.fingerprints[`${access.target.id}:${access.list.list_id}`];
      if (!fingerprint) throw new InvalidInputError("This list was not in the preview: preview again.");
      results.push(await applyImport(access, document, { ...options, fingerprint }, { action: "list.config.copy", source: `${source.target.id}:${source.list.list_id}` }));
    } catch (error) {
      refused.push({ ...ref, message: refusal(error) });
    }
  }
  return { results, refused };
}
