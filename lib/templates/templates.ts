import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { templateEndpointCredentials, templateRevisions, templates, userEmails, users } from "@/db/schema";
import { auditStep, noteChange, plainMessage } from "@/lib/audit";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secret-box";
import { templateBaseUrl } from "@/lib/env";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { MailmanError, MailmanTransportError, type MailmanClient } from "@/lib/mailman";
import { deleteTemplateUri, getTemplateUris, setTemplateUris, type UriLevel } from "@/lib/mailman/templates";
import { allowedAtScope, templateInfo, templatesForScope, type TemplateInfo, type TemplateScope } from "./catalogue";
import { queryId } from "@/lib/validation/ids";

/** One level of one target: a list, a domain, or the site ("" as scope id). */
export interface TemplateOwner {
  targetId: number;
  scope: TemplateScope;
  scopeId: string;
}

/** Templates are far smaller than this; the limit keeps the endpoint and the core's cache small. */
export const MAX_TEMPLATE_LENGTH = 20_000;

export const templateNameSchema = z.string().min(1).max(100);
export const templateTextSchema = z
  .string()
  .max(MAX_TEMPLATE_LENGTH, `A template has at most ${MAX_TEMPLATE_LENGTH} characters.`)
  // Browsers send CRLF from a textarea; the core inserts the text into mail as is.
  .transform((t) => t.replace(/\r\n?/g, "\n"));

/** The path segment that stands for the site's (empty) scope id in endpoint URLs. */
export const SITE_SEGMENT = "-";

export function uriLevel(owner: TemplateOwner): UriLevel {
  if (owner.scope === "list") return { scope: "list", listId: owner.scopeId };
  if (owner.scope === "domain") return { scope: "domain", mailHost: owner.scopeId };
  return { scope: "site" };
}

function assertAllowed(owner: TemplateOwner, name: string) {
  if (!allowedAtScope(name, owner.scope)) {
    throw new InvalidInputError(
      owner.scope === "list" ? `"${name}" is not a list template.` : `"${name}" is not a template the Mailman core knows.`,
      { field: "name" },
    );
  }
}

/** The URL the core fetches a published template from. No `$` can reach it: the core expands those. */
export function templateEndpointUrl(baseUrl: string, owner: TemplateOwner, name: string): string {
  const base = baseUrl.replace(/\/+$/, "");
  const scopeId = owner.scope === "site" ? SITE_SEGMENT : encodeURIComponent(owner.scopeId);
  return `${base}/api/templates/${owner.targetId}/${owner.scope}/${scopeId}/${encodeURIComponent(name)}`;
}

/** The configured base URL, or a plain refusal: a URI the core cannot reach stalls delivery (Q-5). */
export function requireBaseUrl(override?: string): string {
  const base = override ?? templateBaseUrl;
  if (!base) {
    throw new InvalidInputError(
      "Publishing is disabled: set TEMPLATE_BASE_URL (or AUTH_URL) to the address at which the Mailman core reaches Listkeeper, then restart.",
    );
  }
  return base;
}

// Credentials ----------------------------------------------------------------------------------

const credentialAad = (targetId: number) => `template_endpoint_credentials:${targetId}:password`;

export interface EndpointCredentials {
  username: string;
  password: string;
}

/** The target's template endpoint credentials, created on first use (random, 256 bits). */
export async function ensureEndpointCredentials(targetId: number): Promise<EndpointCredentials> {
  const existing = await loadEndpointCredentials(targetId);
  if (existing) return existing;
  const db = await getDb();
  const username = `listkeeper-${targetId}`;
  const password = randomBytes(32).toString("base64url");
  // Two first publishes at once: one insert wins and both use its row.
  await db
    .insert(templateEndpointCredentials)
    .values({ targetId, username, passwordEnc: encryptSecret(password, credentialAad(targetId)) })
    .onConflictDoNothing();
  const stored = await loadEndpointCredentials(targetId);
  if (!stored) throw new Error("template endpoint credentials vanished");
  return stored;
}

export async function loadEndpointCredentials(targetId: number): Promise<EndpointCredentials | null> {
  const db = await getDb();
  const [row] = await db.select().from(templateEndpointCredentials).where(eq(templateEndpointCredentials.targetId, targetId));
  if (!row) return null;
  return { username: row.username, password: decryptSecret(row.passwordEnc, credentialAad(targetId)) };
}

// Reading --------------------------------------------------------------------------------------

type TemplateRow = typeof templates.$inferSelect;

function ownerWhere(owner: TemplateOwner) {
  return and(eq(templates.targetId, owner.targetId), eq(templates.scope, owner.scope), eq(templates.scopeId, owner.scopeId), eq(templates.language, ""));
}

async function findRow(owner: TemplateOwner, name: string): Promise<TemplateRow | undefined> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(templates)
    .where(and(ownerWhere(owner), eq(templates.name, name)));
  return row;
}

/** The text the endpoint serves: published, for this exact target, level and name. */
export async function publishedTemplateText(owner: TemplateOwner, name: string): Promise<string | null> {
  const row = await findRow(owner, name);
  return row?.publishedText ?? null;
}

export type CoreUriState =
  /** No URI: the core uses the next level or its built-in text. */
  | { kind: "none" }
  /** Pointed at this very template of Listkeeper. */
  | { kind: "listkeeper"; uri: string }
  /** Set by someone else (Postorius, a file: URI, an old Listkeeper address). */
  | { kind: "other"; uri: string };

export interface TemplateState {
  info: TemplateInfo;
  text: string | null;
  publishedText: string | null;
  publishedAt: Date | null;
  updatedAt: Date | null;
  /** Unknown when the core could not be asked. */
  core: CoreUriState | null;
}

export interface TemplateOverview {
  templates: TemplateState[];
  /** Why the core's URIs are missing from the overview, if they are. */
  coreProblem: string | null;
  baseUrl: string | null;
}

function coreMessage(error: unknown): string | null {
  if (error instanceof MailmanError || error instanceof MailmanTransportError) return error.userMessage;
  return null;
}

/** Every template of this level with Listkeeper's text and what the core is pointed at (one core call). */
export async function templateOverview(client: MailmanClient, owner: TemplateOwner): Promise<TemplateOverview> {
  const db = await getDb();
  const rows = await db.select().from(templates).where(ownerWhere(owner));
  const byName = new Map(rows.map((r) => [r.name, r]));
  let uris: Map<string, string> | null = null;
  let coreProblem: string | null = null;
  try {
    uris = new Map((await getTemplateUris(client, uriLevel(owner))).map((u) => [u.name, u.uri]));
  } catch (error) {
    coreProblem = coreMessage(error);
    if (!coreProblem) throw error;
  }
  return {
    coreProblem,
    baseUrl: templateBaseUrl ?? null,
    templates: templatesForScope(owner.scope).map((info) => {
      const row = byName.get(info.name);
      const uri = uris?.get(info.name);
      return {
        info,
        text: row?.text ?? null,
        publishedText: row?.publishedText ?? null,
        publishedAt: row?.publishedAt ?? null,
        updatedAt: row?.updatedAt ?? null,
        core: uris === null ? null : classifyUri(uri, owner, info.name),
      };
    }),
  };
}

function classifyUri(uri: string | undefined, owner: TemplateOwner, name: string): CoreUriState {
  if (!uri) return { kind: "none" };
  // Any base URL counts: the address may have changed since it was published.
  const ours = new URL(templateEndpointUrl("http://x", owner, name)).pathname;
  try {
    if (new URL(uri).pathname === ours) return { kind: "listkeeper", uri };
  } catch {
    // file:, mailman: and the like
  }
  return { kind: "other", uri };
}

export interface Revision {
  id: number;
  action: string;
  text: string;
  previousText: string | null;
  at: Date;
  actor: string | null;
}

/** The history of one template, newest first. */
export async function templateHistory(owner: TemplateOwner, name: string, limit = 50): Promise<Revision[]> {
  const row = await findRow(owner, name);
  if (!row) return [];
  const db = await getDb();
  const revisions = await db
    .select({
      id: templateRevisions.id,
      action: templateRevisions.action,
      text: templateRevisions.text,
      previousText: templateRevisions.previousText,
      at: templateRevisions.at,
      actorId: templateRevisions.actorUserId,
      displayName: users.displayName,
    })
    .from(templateRevisions)
    .leftJoin(users, eq(users.id, templateRevisions.actorUserId))
    .where(eq(templateRevisions.templateId, row.id))
    .orderBy(desc(templateRevisions.at), desc(templateRevisions.id))
    .limit(limit);
  const actorIds = [...new Set(revisions.map((r) => r.actorId).filter((id): id is string => Boolean(id)))];
  const emails = actorIds.length
    ? await db.select({ userId: userEmails.userId, email: userEmails.email }).from(userEmails).where(inArray(userEmails.userId, actorIds)).orderBy(asc(userEmails.createdAt))
    : [];
  const firstEmail = new Map<string, string>();
  for (const e of emails) if (!firstEmail.has(e.userId)) firstEmail.set(e.userId, e.email);
  return revisions.map((r) => ({
    id: r.id,
    action: r.action,
    text: r.text,
    previousText: r.previousText,
    at: r.at,
    actor: r.actorId ? r.displayName || firstEmail.get(r.actorId) || "a deleted user" : null,
  }));
}

// Writing --------------------------------------------------------------------------------------

function auditSubject(owner: TemplateOwner, name: string): string {
  return `${owner.scope}:${owner.scopeId || "site"}:${name}`;
}

async function writeText(owner: TemplateOwner, name: string, text: string, actorUserId: string, action: "save" | "restore"): Promise<void> {
  const db = await getDb();
  const now = new Date();
  await db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(templates)
      .where(and(ownerWhere(owner), eq(templates.name, name)))
      .for("update");
    if (current && current.text === text) return;
    let id: string;
    if (current) {
      await tx.update(templates).set({ text, updatedBy: actorUserId, updatedAt: now }).where(eq(templates.id, current.id));
      id = current.id;
    } else {
      const [inserted] = await tx
        .insert(templates)
        .values({ targetId: owner.targetId, scope: owner.scope, scopeId: owner.scopeId, name, text, updatedBy: actorUserId, updatedAt: now })
        .returning({ id: templates.id });
      if (!inserted) throw new Error("insert returned no row");
      id = inserted.id;
    }
    await tx.insert(templateRevisions).values({ templateId: id, actorUserId, action, previousText: current?.text ?? null, text, at: now });
  });
}

/** Stores a new text (with a history entry). The core keeps serving the published one until Publish. */
export async function saveTemplate(owner: TemplateOwner, name: string, rawText: string, actorUserId: string): Promise<void> {
  assertAllowed(owner, name);
  const text = templateTextSchema.parse(rawText);
  await auditStep({ targetId: owner.targetId, action: "template.save", subject: auditSubject(owner, name), detail: { length: text.length } }, () => writeText(owner, name, text, actorUserId, "save"));
}

/** Makes the text of an earlier revision the current text again (a new revision; not published). */
export async function restoreRevision(owner: TemplateOwner, name: string, revisionId: number, actorUserId: string): Promise<void> {
  assertAllowed(owner, name);
  const row = await findRow(owner, name);
  if (!row) throw new NotFoundError("This template has no history.");
  const db = await getDb();
  const [revision] = await db
    .select()
    .from(templateRevisions)
    .where(and(eq(templateRevisions.id, revisionId), eq(templateRevisions.templateId, row.id)));
  if (!revision) throw new NotFoundError("That version is not in this template's history.");
  await auditStep({ targetId: owner.targetId, action: "template.restore", subject: auditSubject(owner, name), detail: { revisionId } }, () =>
    writeText(owner, name, revision.text, actorUserId, "restore"),
  );
}

export interface PublishResult {
  uri: string;
  /** Set when Listkeeper could not fetch its own URL: the core probably cannot either (Q-5). */
  warning: string | null;
}

/**
 * Points the core at Listkeeper's endpoint for this template, with the target's credentials.
 * The text is made servable first, so the core never fetches a 404 (which it reads as "send
 * this template empty"); on failure the previous published state is put back.
 */
export async function publishTemplate(
  client: MailmanClient,
  owner: TemplateOwner,
  name: string,
  actorUserId: string,
  options: { baseUrl?: string; selfCheck?: boolean } = {},
): Promise<PublishResult> {
  assertAllowed(owner, name);
  const baseUrl = requireBaseUrl(options.baseUrl);
  const row = await findRow(owner, name);
  if (!row) throw new InvalidInputError("Save a text for this template before publishing it.");
  const credentials = await ensureEndpointCredentials(owner.targetId);
  const uri = templateEndpointUrl(baseUrl, owner, name);
  const db = await getDb();
  await db.update(templates).set({ publishedText: row.text, publishedAt: new Date(), publishedBy: actorUserId }).where(eq(templates.id, row.id));
  try {
    await setTemplateUris(client, uriLevel(owner), { [name]: uri }, credentials);
  } catch (error) {
    await db
      .update(templates)
      .set({ publishedText: row.publishedText, publishedAt: row.publishedAt, publishedBy: row.publishedBy })
      .where(eq(templates.id, row.id));
    await noteChange({ targetId: owner.targetId, action: "template.publish", subject: auditSubject(owner, name), outcome: "failed", detail: { uri, error: plainMessage(error) } });
    throw error;
  }
  await noteChange({ targetId: owner.targetId, action: "template.publish", subject: auditSubject(owner, name), detail: { uri } });
  const warning = options.selfCheck === false ? null : await checkReachable(uri, credentials);
  return { uri, warning };
}

/** Removes the core's URI (the core falls back to the domain, the site or its built-in text). */
export async function resetTemplate(client: MailmanClient, owner: TemplateOwner, name: string): Promise<void> {
  assertAllowed(owner, name);
  // The core first, then the text: while the URI exists, the endpoint must keep answering.
  await auditStep({ targetId: owner.targetId, action: "template.reset", subject: auditSubject(owner, name) }, () => deleteTemplateUri(client, uriLevel(owner), name));
  const db = await getDb();
  await db
    .update(templates)
    .set({ publishedText: null, publishedAt: null, publishedBy: null })
    .where(and(ownerWhere(owner), eq(templates.name, name)));
}

/** Fetches a published URI as the core will; null when it answers with the text. */
export async function checkReachable(uri: string, credentials: EndpointCredentials): Promise<string | null> {
  const authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
  try {
    const response = await fetch(uri, { headers: { authorization }, signal: AbortSignal.timeout(5_000), redirect: "manual" });
    await response.body?.cancel();
    if (response.ok) return null;
    return `Listkeeper fetched ${uri} itself and got HTTP ${response.status}. The core will fall back to its default text.`;
  } catch (error) {
    logger.warn({ uri, err: { message: (error as Error).message } }, "template endpoint self-check failed");
    return `Listkeeper could not fetch ${uri} itself. If the Mailman core cannot reach it either, it holds outgoing mail until the URI works or is reset. Check TEMPLATE_BASE_URL.`;
  }
}

// Preview --------------------------------------------------------------------------------------

/** The variables the core fills in for this list (mailman/utilities/string.py `expand`). */
export async function listTemplateVariables(client: MailmanClient, listId: string): Promise<Record<string, string>> {
  const [list, config, site] = await Promise.all([
    client.getList(listId),
    client.getListConfig(listId),
    client.mailmanSettings().catch(() => ({}) as Record<string, string>),
  ]);
  if (!list) throw new NotFoundError("That list does not exist on this server (it may have been deleted).");
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  return {
    listname: list.fqdn_listname,
    list_id: list.list_id,
    display_name: list.display_name ?? str(config.display_name),
    short_listname: list.list_name,
    domain: list.mail_host,
    description: list.description ?? str(config.description),
    info: str(config.info),
    request_email: str(config.request_address) || `${list.list_name}-request@${list.mail_host}`,
    owner_email: str(config.owner_address) || `${list.list_name}-owner@${list.mail_host}`,
    site_email: site.site_owner ?? "",
    language: str(config.preferred_language) || "en",
  };
}

/** Example values for domain and site templates, which no single list owns. */
export function sampleVariables(mailHost = "example.org"): Record<string, string> {
  return {
    listname: `yourlist@${mailHost}`,
    list_id: `yourlist.${mailHost}`,
    display_name: "Yourlist",
    short_listname: "yourlist",
    domain: mailHost,
    description: "(the list's description)",
    info: "(the list's information text)",
    request_email: `yourlist-request@${mailHost}`,
    owner_email: `yourlist-owner@${mailHost}`,
    language: "en",
  };
}

export function defaultTextOf(name: string): string {
  return templateInfo(name)?.defaultText ?? "";
}

// Action inputs ----------------------------------------------------------------------------------

export const listTemplateRefSchema = z.object({
  targetId: queryId,
  listId: z.string().min(1).max(320),
  name: templateNameSchema,
});
export const saveListTemplateSchema = listTemplateRefSchema.extend({ text: templateTextSchema });
export const restoreListTemplateSchema = listTemplateRefSchema.extend({ revisionId: queryId });

export const levelTemplateRefSchema = z
  .object({
    targetId: queryId,
    scope: z.enum(["domain", "site"]),
    scopeId: z.string().max(255),
    name: templateNameSchema,
  })
  .refine((v) => (v.scope === "site" ? v.scopeId === "" : v.scopeId !== ""), { message: "Choose a domain.", path: ["scopeId"] });
export const saveLevelTemplateSchema = z.intersection(levelTemplateRefSchema, z.object({ text: templateTextSchema }));
export const restoreLevelTemplateSchema = z.intersection(levelTemplateRefSchema, z.object({ revisionId: queryId }));
