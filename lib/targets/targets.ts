import { asc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { provisionerTargets } from "@/db/schema";
import { noteChange, plainMessage } from "@/lib/audit";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secret-box";
import { forgetTargetConnection } from "./remembered-connections";
import { env } from "@/lib/env";
import { AppError, ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";

export class StoredCredentialsError extends AppError {}
import { MailmanClient, MailmanError, MailmanSchemaError, MailmanTransportError, normaliseBaseUrl, type MailmanConnection } from "@/lib/mailman";
import {
  columnToWelcomeChoice,
  createTargetSchema,
  restUrlSchema,
  updateTargetSchema,
  welcomeChoiceToColumn,
  type CreateTargetInput,
  type UpdateTargetInput,
} from "./target-input";

type TargetRow = typeof provisionerTargets.$inferSelect;

/** What pages may see of a target: everything but the encrypted password. */
export interface TargetSummary {
  id: number;
  name: string;
  description: string;
  serverUrl: string;
  adminUser: string;
  domain: string;
  prefEmailType: string | null;
  unmanagedEmailMode: "remove" | "ignore";
  addressConflictMode: "fail" | "adopt" | "absorb";
  userCreation: "lazy" | "all_active";
  welcomeMessage: "list_default" | "send" | "suppress";
  quietUnsubscribe: boolean;
  syncDisplayName: boolean;
  deleteStaleAddresses: boolean;
  mode: TargetRow["mode"];
  retryIntervalS: number;
  maxRetry: number;
  lastVerifiedAt: Date | null;
  updatedAt: Date;
}

export function toSummary(row: TargetRow): TargetSummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    serverUrl: row.serverUrl,
    adminUser: row.adminUser,
    domain: row.domain,
    prefEmailType: row.prefEmailType,
    unmanagedEmailMode: row.unmanagedEmailMode,
    addressConflictMode: row.addressConflictMode,
    userCreation: row.userCreation,
    welcomeMessage: columnToWelcomeChoice(row.sendWelcomeMessage),
    quietUnsubscribe: row.quietUnsubscribe,
    syncDisplayName: row.syncDisplayName,
    deleteStaleAddresses: row.deleteStaleAddresses,
    mode: row.mode,
    retryIntervalS: row.retryIntervalS,
    maxRetry: row.maxRetry,
    lastVerifiedAt: row.lastVerifiedAt,
    updatedAt: row.updatedAt,
  };
}

/** The columns a superuser edits directly, the same for create and update. */
function editableColumns(data: ReturnType<typeof createTargetSchema.parse> | ReturnType<typeof updateTargetSchema.parse>) {
  return {
    name: data.name,
    description: data.description,
    adminUser: data.adminUser,
    domain: data.domain,
    prefEmailType: data.prefEmailType,
    unmanagedEmailMode: data.unmanagedEmailMode,
    addressConflictMode: data.addressConflictMode,
    userCreation: data.userCreation,
    sendWelcomeMessage: welcomeChoiceToColumn(data.welcomeMessage),
    quietUnsubscribe: data.quietUnsubscribe,
    syncDisplayName: data.syncDisplayName,
    deleteStaleAddresses: data.deleteStaleAddresses,
    mode: data.mode,
    retryIntervalS: data.retryIntervalS,
    maxRetry: data.maxRetry,
  };
}

// The ciphertext is bound to its row, so a value copied to another target does not decrypt.
const passwordAad = (id: number) => `provisioner_targets:${id}:admin_password`;

export async function listTargets(): Promise<TargetSummary[]> {
  const db = await getDb();
  const rows = await db.select().from(provisionerTargets).orderBy(asc(provisionerTargets.ordr), asc(provisionerTargets.name));
  return rows.map(toSummary);
}

async function loadRow(id: number): Promise<TargetRow> {
  const db = await getDb();
  const [row] = await db.select().from(provisionerTargets).where(eq(provisionerTargets.id, id));
  if (!row) throw new NotFoundError("That Mailman server is not registered (it may have been deleted).");
  return row;
}

export async function getTarget(id: number): Promise<TargetSummary> {
  return toSummary(await loadRow(id));
}

function connectionFor(row: Pick<TargetRow, "serverUrl" | "adminUser">, password: string) {
  return {
    baseUrl: row.serverUrl,
    user: row.adminUser,
    password,
    timeoutMs: env.MAILMAN_TIMEOUT_MS,
    concurrency: env.MAILMAN_CONCURRENCY,
  };
}

/**
 * The decrypted REST password. A value that does not decrypt (another LISTKEEPER_SECRET_KEY, a
 * damaged row) is an expected, explainable state: the superuser re-enters the password.
 */
function storedPassword(row: TargetRow): string {
  try {
    return decryptSecret(row.adminPasswordEnc, passwordAad(row.id));
  } catch {
    throw new StoredCredentialsError(
      `The stored password of "${row.name}" cannot be decrypted (was LISTKEEPER_SECRET_KEY changed?). Re-enter it on the server's page.`,
    );
  }
}

/** How to reach a registered target's core, its password decrypted. Only server code may call this. */
export async function targetConnection(targetId: number): Promise<MailmanConnection> {
  const row = await loadRow(targetId);
  return connectionFor(row, storedPassword(row));
}

/** The Mailman client of a registered target. Only server code may call this. */
export async function clientForTarget(
  targetOrId: number | TargetRow,
  /** How its requests travel (lib/lists/early-reads.ts hands over GETs sent ahead), and how often they are retried. */
  options: Pick<MailmanConnection, "transport" | "retries"> = {},
): Promise<{ target: TargetSummary; client: MailmanClient }> {
  const row = typeof targetOrId === "number" ? await loadRow(targetOrId) : targetOrId;
  return { target: toSummary(row), client: new MailmanClient({ ...connectionFor(row, storedPassword(row)), ...options }) };
}

export interface ConnectionReport {
  ok: boolean;
  message: string;
  mailmanVersion?: string;
  apiVersion?: string;
  domainExists?: boolean;
}

/**
 * What a failed probe says. The URL may point at anything a superuser types, so only the class of
 * failure is told, never the answering server's own words (a probe must not read other services).
 */
function probeFailure(error: MailmanError | MailmanTransportError): string {
  if (error instanceof MailmanTransportError) {
    // A probe's JSON that is not the core's shape means something else answers at this URL.
    if (error instanceof MailmanSchemaError) return new MailmanTransportError("invalid_response", error.method, error.path).userMessage;
    if (error.kind === "invalid_response" && /\b3\d\d\b/.test(error.message)) {
      return "The server answered with a redirect, which Listkeeper does not follow. Enter the final REST URL (without /3.1).";
    }
    // The API contract (api-v1.md) promises "Unable to connect" for a server that cannot be reached.
    return error.kind === "invalid_response" || error.kind === "unknown" ? error.userMessage : `Unable to connect. ${error.userMessage}`;
  }
  if (error.status === 401) return "The server rejected the REST credentials: authorization failed (HTTP 401). Check the admin user and password ([webservice] admin_user, admin_pass).";
  if (error.status === 403) return "The server refused access (HTTP 403).";
  if (error.status === 404) return "No Mailman REST API answers at this URL (HTTP 404). Check the URL; leave /3.1 out.";
  if (error.status >= 500) return `The server failed with an internal error (HTTP ${error.status}).`;
  return `The server answered HTTP ${error.status}, not like a Mailman 3 REST API.`;
}

/** Printable text of at most `max` characters, from a server that may be anything. */
function shown(value: string, max = 80): string {
  return value.replace(/[^\x20-\x7e\u00a0-\u024f]/g, "").slice(0, max);
}

/**
 * Calls the core once (or twice, to look for the domain) and explains any failure plainly. Only
 * http and https URLs are probed (checked here too, not only in the form), redirects are not
 * followed (lib/mailman/http.ts), and a failure says only what kind of failure it was.
 */
export async function probeConnection(
  connection: { serverUrl: string; adminUser: string; adminPassword: string },
  domain?: string,
): Promise<ConnectionReport> {
  const url = restUrlSchema.safeParse(connection.serverUrl);
  if (!url.success) throw new InvalidInputError(url.error.issues[0]?.message ?? "Enter an http:// or https:// URL.", { field: "serverUrl" });
  const client = new MailmanClient({
    ...connectionFor({ serverUrl: connection.serverUrl, adminUser: connection.adminUser }, connection.adminPassword),
    timeoutMs: Math.min(env.MAILMAN_TIMEOUT_MS, 10_000),
    retries: 0,
  });
  try {
    const versions = await client.versions();
    if (versions.api_version !== "3.1") {
      return { ok: false, message: `This core serves REST API ${shown(versions.api_version, 10)}; Listkeeper needs 3.1 (Mailman 3.3 or later).` };
    }
    const domainExists = domain ? (await client.getDomain(domain)) !== null : undefined;
    const version = shown(versions.mailman_version);
    return {
      ok: true,
      message: `Connected to ${version} (REST API ${versions.api_version}).`,
      mailmanVersion: version,
      apiVersion: versions.api_version,
      domainExists,
    };
  } catch (error) {
    if (error instanceof MailmanTransportError || error instanceof MailmanError) return { ok: false, message: probeFailure(error) };
    throw error;
  }
}

async function ensureDomain(client: MailmanClient, domain: string): Promise<boolean> {
  if (await client.getDomain(domain)) return false;
  await client.createDomain({ mailHost: domain, description: "Created by Listkeeper" });
  return true;
}

async function assertUniqueName(name: string, exceptId?: number) {
  const db = await getDb();
  const [clash] = await db
    .select({ id: provisionerTargets.id })
    .from(provisionerTargets)
    .where(sql`lower(${provisionerTargets.name}) = lower(${name})`);
  if (clash && clash.id !== exceptId) throw new ConflictError(`Another server is already called "${name}".`, { field: "name" });
}

/**
 * The stored password is only ever sent to the server it was saved for: changing the URL or the
 * user without retyping it would hand it to whatever answers at the new address.
 */
function assertPasswordStaysHome(row: TargetRow, serverUrl: string, adminUser: string, typedPassword: string) {
  if (typedPassword === "" && (row.serverUrl !== serverUrl || row.adminUser !== adminUser)) {
    throw new InvalidInputError("Retype the admin password when you change the REST URL or the admin user.", { field: "adminPassword" });
  }
}

async function verifyOrThrow(serverUrl: string, adminUser: string, adminPassword: string) {
  const report = await probeConnection({ serverUrl, adminUser, adminPassword });
  if (!report.ok) throw new InvalidInputError(`Not saved: ${report.message}`, { field: "serverUrl" });
}

export async function createTarget(input: CreateTargetInput): Promise<TargetSummary> {
  const data = createTargetSchema.parse(input);
  const serverUrl = normaliseBaseUrl(data.serverUrl);
  await assertUniqueName(data.name);
  // A target is only saved once the credentials work: a broken one would fail every page later.
  // A server that refuses is in the audit log too (failed, with its words).
  try {
    await verifyOrThrow(serverUrl, data.adminUser, data.adminPassword);
  } catch (error) {
    await noteChange({ action: "target.create", subject: data.name, outcome: "failed", detail: { serverUrl, domain: data.domain, error: plainMessage(error) } });
    throw error;
  }
  const db = await getDb();
  const row = await db.transaction(async (tx) => {
    const [next] = await tx.execute<{ id: number }>(sql`select nextval(pg_get_serial_sequence('provisioner_targets', 'id'))::int as id`).then(
      (r) => (r as unknown as { rows: { id: number }[] }).rows,
    );
    if (!next) throw new Error("no id from sequence");
    const [inserted] = await tx
      .insert(provisionerTargets)
      .values({
        id: next.id,
        serverUrl,
        adminPasswordEnc: encryptSecret(data.adminPassword, passwordAad(next.id)),
        ...editableColumns(data),
        lastVerifiedAt: new Date(),
      })
      .returning();
    if (!inserted) throw new Error("insert returned no row");
    return inserted;
  });
  const { client } = await clientForTarget(row);
  const created = await ensureDomain(client, data.domain);
  await noteChange({
    targetId: row.id,
    action: "target.create",
    subject: data.name,
    detail: { serverUrl, domain: data.domain, domainCreated: created },
  });
  return toSummary(row);
}

export async function updateTarget(input: UpdateTargetInput): Promise<TargetSummary> {
  const data = updateTargetSchema.parse(input);
  const existing = await loadRow(data.id);
  const serverUrl = normaliseBaseUrl(data.serverUrl);
  await assertUniqueName(data.name, data.id);
  assertPasswordStaysHome(existing, serverUrl, data.adminUser, data.adminPassword);
  const password = data.adminPassword !== "" ? data.adminPassword : storedPassword(existing);
  const connectionChanged = serverUrl !== existing.serverUrl || data.adminUser !== existing.adminUser || data.adminPassword !== "";
  if (connectionChanged || data.domain !== existing.domain) await verifyOrThrow(serverUrl, data.adminUser, password);
  const db = await getDb();
  const [row] = await db
    .update(provisionerTargets)
    .set({
      serverUrl,
      ...(data.adminPassword !== "" ? { adminPasswordEnc: encryptSecret(data.adminPassword, passwordAad(existing.id)) } : {}),
      ...editableColumns(data),
      updatedAt: new Date(),
      ...(connectionChanged ? { lastVerifiedAt: new Date() } : {}),
    })
    .where(eq(provisionerTargets.id, data.id))
    .returning();
  if (!row) throw new NotFoundError("That Mailman server is not registered (it may have been deleted).");
  forgetTargetConnection(row.id);
  const { client } = await clientForTarget(row);
  const created = await ensureDomain(client, data.domain);
  await noteChange({
    targetId: row.id,
    action: "target.update",
    subject: data.name,
    detail: { serverUrl, domain: data.domain, domainCreated: created, passwordChanged: data.adminPassword !== "" },
  });
  return toSummary(row);
}

/** Forgets the server; the core and its lists are left untouched. */
export async function deleteTarget(id: number, confirmName: string): Promise<void> {
  const row = await loadRow(id);
  if (confirmName.trim() !== row.name) {
    throw new InvalidInputError(`Type the server's name, "${row.name}", to confirm.`, { field: "confirm" });
  }
  const db = await getDb();
  await db.delete(provisionerTargets).where(eq(provisionerTargets.id, id));
  forgetTargetConnection(id);
  await noteChange({ targetId: null, action: "target.delete", subject: row.name, detail: { id, serverUrl: row.serverUrl } });
}

/** Tests stored or typed-in credentials; an empty password with an id means "the stored one". */
export async function testTargetConnection(input: {
  id?: number;
  serverUrl: string;
  adminUser: string;
  adminPassword: string;
  domain?: string;
}): Promise<ConnectionReport> {
  let password = input.adminPassword;
  if (!password && input.id) {
    const row = await loadRow(input.id);
    assertPasswordStaysHome(row, normaliseBaseUrl(input.serverUrl), input.adminUser, password);
    password = storedPassword(row);
  }
  const report = await probeConnection({ serverUrl: normaliseBaseUrl(input.serverUrl), adminUser: input.adminUser, adminPassword: password }, input.domain);
  if (report.ok && input.id) {
    const db = await getDb();
    await db.update(provisionerTargets).set({ lastVerifiedAt: new Date() }).where(eq(provisionerTargets.id, input.id));
  }
  return report;
}
