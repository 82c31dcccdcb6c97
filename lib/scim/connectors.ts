import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { DEFAULT_EMAIL_TYPE_MAP, scimConnectors, users } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";

/**
 * SCIM connectors (provisioning.md §6, §7.11): one per identity provider, with a bearer token of
 * its own, shown once and stored as a SHA-256 hash like API tokens (lib/auth/api-tokens.ts), and
 * the mapping of SCIM `emails[].type` values to registry address types.
 */

const PREFIX = "lks_";
const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");

const addressType = z.string().trim().min(1, "Name an address type.").max(40).regex(/^[a-z_]+$/, "an address type is lower-case letters and '_'");
/** SCIM type (`work`, `home`, `other` or any a provider sends) → registry address type. */
export const emailTypeMapInput = z
  .record(z.string().trim().toLowerCase().min(1).max(40).regex(/^[a-z0-9_-]+$/, "a SCIM type is lower-case letters, digits, '-' and '_'"), addressType)
  .refine((m) => Object.keys(m).length <= 20, "At most 20 types.");

export const connectorCreateInput = z.object({
  name: z.string().trim().min(1, "Name the connector.").max(100),
  emailTypeMap: emailTypeMapInput.default(DEFAULT_EMAIL_TYPE_MAP),
});

export interface Connector {
  id: number;
  name: string;
  emailTypeMap: Record<string, string>;
}

export async function createConnector(input: z.input<typeof connectorCreateInput>, creatorId: string | null): Promise<{ id: number; token: string }> {
  const parsed = connectorCreateInput.parse(input);
  const token = `${PREFIX}${randomBytes(32).toString("base64url")}`;
  const db = await getDb();
  const [row] = await db
    .insert(scimConnectors)
    .values({ name: parsed.name, tokenHash: hashOf(token), emailTypeMap: parsed.emailTypeMap, createdBy: creatorId })
    .returning({ id: scimConnectors.id });
  return { id: row!.id, token };
}

/** The live connector a bearer token belongs to, or null (unknown, malformed or revoked). */
export async function connectorForToken(token: string): Promise<Connector | null> {
  if (!token.startsWith(PREFIX) || token.length > 200) return null;
  const db = await getDb();
  const [row] = await db
    .select({ id: scimConnectors.id, name: scimConnectors.name, emailTypeMap: scimConnectors.emailTypeMap })
    .from(scimConnectors)
    .where(and(eq(scimConnectors.tokenHash, hashOf(token)), isNull(scimConnectors.revokedAt)));
  if (!row) return null;
  await db.update(scimConnectors).set({ lastUsedAt: sql`now()` }).where(eq(scimConnectors.id, row.id));
  return row;
}

export async function listConnectors() {
  const db = await getDb();
  return db
    .select({
      id: scimConnectors.id,
      name: scimConnectors.name,
      emailTypeMap: scimConnectors.emailTypeMap,
      createdAt: scimConnectors.createdAt,
      lastUsedAt: scimConnectors.lastUsedAt,
      revokedAt: scimConnectors.revokedAt,
      createdBy: users.displayName,
      people: sql<number>`(select count(*)::int from scim_users u where u.connector_id = ${scimConnectors.id})`,
      groups: sql<number>`(select count(*)::int from scim_groups g where g.connector_id = ${scimConnectors.id})`,
    })
    .from(scimConnectors)
    .leftJoin(users, eq(users.id, scimConnectors.createdBy))
    .orderBy(desc(scimConnectors.id));
}

export async function updateConnectorMapping(id: number, emailTypeMap: Record<string, string>): Promise<void> {
  const map = emailTypeMapInput.parse(emailTypeMap);
  const db = await getDb();
  const rows = await db.update(scimConnectors).set({ emailTypeMap: map }).where(eq(scimConnectors.id, id)).returning({ id: scimConnectors.id });
  if (rows.length === 0) throw new NotFoundError("There is no such connector.");
}

/** Revoking stops the token; the people and groups it fed stay in the registry. */
export async function revokeConnector(id: number): Promise<void> {
  const db = await getDb();
  const rows = await db
    .update(scimConnectors)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(scimConnectors.id, id), isNull(scimConnectors.revokedAt)))
    .returning({ id: scimConnectors.id });
  if (rows.length === 0) throw new NotFoundError("There is no such active connector.");
}
