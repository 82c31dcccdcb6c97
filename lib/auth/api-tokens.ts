import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { apiTokens, users } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { loadViewer, type Viewer } from "./users";

/**
 * API bearer tokens (api-v1.md "Auth"): created by a superuser, shown once, stored as a SHA-256
 * hash (256 random bits need no slow hash), revocable, with a last-used time. A token acts with
 * its creator's rights *at the moment of the call*: the creator is reloaded by the same
 * `loadViewer` the session guard uses, so a disabled account or a lost superuser flag applies at
 * once.
 */

const PREFIX = "lk_";

const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createApiToken(name: string, creatorId: string): Promise<{ id: number; token: string }> {
  const token = `${PREFIX}${randomBytes(32).toString("base64url")}`;
  const db = await getDb();
  const [row] = await db.insert(apiTokens).values({ name, tokenHash: hashOf(token), createdBy: creatorId }).returning({ id: apiTokens.id });
  return { id: row!.id, token };
}

export async function viewerForToken(token: string): Promise<{ viewer: Viewer; tokenName: string } | null> {
  if (!token.startsWith(PREFIX) || token.length > 200) return null;
  const db = await getDb();
  const [row] = await db
    .select({ id: apiTokens.id, name: apiTokens.name, createdBy: apiTokens.createdBy })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hashOf(token)), isNull(apiTokens.revokedAt)));
  if (!row) return null;
  const viewer = await loadViewer(row.createdBy);
  if (!viewer) return null;
  await db.update(apiTokens).set({ lastUsedAt: sql`now()` }).where(eq(apiTokens.id, row.id));
  return { viewer, tokenName: row.name };
}

export async function listApiTokens() {
  const db = await getDb();
  return db
    .select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt, revokedAt: apiTokens.revokedAt, createdBy: users.displayName })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.createdBy))
    .orderBy(desc(apiTokens.id));
}

export async function revokeApiToken(id: number): Promise<void> {
  const db = await getDb();
  const rows = await db.update(apiTokens).set({ revokedAt: sql`now()` }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt))).returning({ id: apiTokens.id });
  if (rows.length === 0) throw new NotFoundError("There is no such active token.");
}
