import { decryptSecret, encryptSecret } from "@/lib/crypto/secret-box";

/**
 * The core's moderator-owned workflow tokens of `self_service_requests`, sealed with the secret
 * box like the confirmation tokens: whoever reads the database (a backup, a dump) cannot accept
 * or discard someone's pending request with them. The associated data binds a sealed token to
 * its account, server, list and kind, so a value copied into another row does not open.
 */

interface RequestKey {
  accountId: string;
  targetId: number;
  listId: string;
  kind: "subscribe" | "unsubscribe";
}

const sealedFor = (row: RequestKey) => `self-service-request:${row.accountId}:${row.targetId}:${row.listId}:${row.kind}`;

export function sealRequestToken(row: RequestKey, token: string): string {
  return encryptSecret(token, sealedFor(row));
}

/**
 * The token of a stored request. Rows written before tokens were sealed hold the core's plain
 * token (hex, never the "v1." envelope): they are read as they are, since dropping them would
 * leave their requests waiting at the core with no way to cancel them from My lists; they go
 * when their requests are decided or withdrawn.
 */
export function openRequestToken(row: RequestKey & { token: string }): string {
  return row.token.startsWith("v1.") ? decryptSecret(row.token, sealedFor(row)) : row.token;
}
