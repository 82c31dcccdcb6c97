import { z } from "zod";
import type { MailmanClient } from "./client";

/**
 * List settings endpoints beyond `config` (mailman-rest.md §7.3): the archivers switches and the
 * digest state and actions Postorius does not offer (console.md §3.1 "Digest").
 */

const enc = encodeURIComponent;

/** `/config` answers with explicit nulls (unlike other resources) and an `http_etag`. */
export const listSettingsConfigSchema = z.looseObject({ http_etag: z.string() });
export type ListSettingsConfig = z.infer<typeof listSettingsConfigSchema> & Record<string, unknown>;

export function readListConfig(client: MailmanClient, listId: string): Promise<ListSettingsConfig> {
  return client.get(`/lists/${enc(listId)}/config`, listSettingsConfigSchema) as Promise<ListSettingsConfig>;
}

const archiversSchema = z.looseObject({}).transform((raw) => {
  const out: Record<string, boolean> = {};
  for (const [name, value] of Object.entries(raw)) if (typeof value === "boolean") out[name] = value;
  return out;
});

/** `{archiver: enabled}` for the archivers enabled site-wide (none → `{}`). */
export function getArchivers(client: MailmanClient, listId: string): Promise<Record<string, boolean>> {
  return client.get(`/lists/${enc(listId)}/archivers`, archiversSchema);
}

/** Unknown archiver names → `400 Unexpected parameters: x`. */
export function patchArchivers(client: MailmanClient, listId: string, patch: Record<string, boolean>): Promise<void> {
  return client.send("PATCH", `/lists/${enc(listId)}/archivers`, patch);
}

export const digestInfoSchema = z.object({ next_digest_number: z.number().int(), volume: z.number().int() });
export type DigestInfo = z.infer<typeof digestInfoSchema>;

export function getDigestInfo(client: MailmanClient, listId: string): Promise<DigestInfo> {
  return client.get(`/lists/${enc(listId)}/digest`, digestInfoSchema);
}

/**
 * `send`: send the digest collected so far now; `bump`: start a new volume. Both answer 202
 * (queued for the digest runner). `send` and `periodic` together are refused, so never combined.
 */
export async function runDigestAction(client: MailmanClient, listId: string, action: "send" | "bump"): Promise<void> {
  await client.request("POST", `/lists/${enc(listId)}/digest`, { body: { [action]: true } });
}
