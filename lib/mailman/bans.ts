import { z } from "zod";
import type { MailmanClient, PageRequest } from "./client";
import type { Page } from "./schemas";

/**
 * Bans (console.md §3.9): a list's (`/lists/{id}/bans`) or the whole site's (`/bans`). An entry
 * is an address or a Python regular expression starting with `^`, matched case-insensitively
 * against addresses that try to subscribe or take a role.
 */
export type BanScope = { listId: string } | "global";

export const banSchema = z.object({
  email: z.string(),
  list_id: z.string().nullish(),
  self_link: z.string(),
});
export type Ban = z.infer<typeof banSchema>;

const enc = encodeURIComponent;
const base = (scope: BanScope) => (scope === "global" ? "/bans" : `/lists/${enc(scope.listId)}/bans`);

/** An entry as one URL segment. "." and ".." survive encodeURIComponent and would climb the path. */
function entrySegment(email: string): string {
  if (email === "" || email === "." || email === "..") throw new Error(`not a ban entry: ${JSON.stringify(email)}`);
  return enc(email);
}

/** One page of bans, ordered by the banned text (the core sorts them). */
export function listBans(client: MailmanClient, scope: BanScope, request: PageRequest): Promise<Page<Ban>> {
  return client.page(base(scope), banSchema, request);
}

export function allBans(client: MailmanClient, scope: BanScope): Promise<Ban[]> {
  return client.all(base(scope), banSchema);
}

/**
 * True when `email` is refused by this scope. For a list this also counts global bans and
 * patterns, as the core's own check does, so it does not mean "there is an entry to remove".
 */
export async function isBanned(client: MailmanClient, scope: BanScope, email: string): Promise<boolean> {
  return (await client.getOrNull(`${base(scope)}/${entrySegment(email)}`, banSchema)) !== null;
}

/** `400 Address is already banned` also when a global ban or a pattern already covers it. */
export async function addBan(client: MailmanClient, scope: BanScope, email: string): Promise<void> {
  await client.create(base(scope), { email });
}

/**
 * Removes the entry whose text is exactly `email`. The core answers 204 without removing
 * anything when the address is refused by something else (a global ban, a pattern), and cannot
 * route an entry containing "/" at all (404).
 */
export function removeBan(client: MailmanClient, scope: BanScope, email: string): Promise<void> {
  return client.send("DELETE", `${base(scope)}/${entrySegment(email)}`);
}
