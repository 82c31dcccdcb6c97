import { z } from "zod";
import type { MailmanClient } from "./client";

/**
 * A list's header filters, `/lists/{id}/header-matches` (console.md §3.2). Rules are addressed
 * by position, which shifts whenever a rule is added, moved or removed; callers that act on a
 * rule the user saw must check it is still at that position first (no ETag support, Q-15).
 * The collection ignores `fields=`, so none is sent.
 */

/** The chains a rule may jump to. `defer` is accepted by the core but shunts every post. */
export const SAFE_HEADER_MATCH_ACTIONS = ["hold", "reject", "discard", "accept"] as const;
export type HeaderMatchAction = (typeof SAFE_HEADER_MATCH_ACTIONS)[number];

export const headerMatchSchema = z.object({
  position: z.number().int(),
  header: z.string(),
  pattern: z.string(),
  // Omitted when the rule uses the site's `[antispam] jump_chain`. Kept as a plain string so that
  // a `defer` rule written by another tool still loads and can be shown as dangerous.
  action: z.string().nullish(),
  tag: z.string().nullish(),
  self_link: z.string(),
});
export type HeaderMatch = z.infer<typeof headerMatchSchema>;

const enc = encodeURIComponent;
const base = (listId: string) => `/lists/${enc(listId)}/header-matches`;

export function listHeaderMatches(client: MailmanClient, listId: string): Promise<HeaderMatch[]> {
  return client.all(base(listId), headerMatchSchema);
}

export function getHeaderMatch(client: MailmanClient, listId: string, position: number): Promise<HeaderMatch | null> {
  return client.getOrNull(`${base(listId)}/${position}`, headerMatchSchema);
}

export interface NewHeaderMatch {
  header: string;
  pattern: string;
  /** null: the site default (`jump_chain`). */
  action: HeaderMatchAction | null;
  tag?: string | null;
}

/** Appends a rule at the end and returns its position (from the 201 Location). */
export async function addHeaderMatch(client: MailmanClient, listId: string, rule: NewHeaderMatch): Promise<number> {
  const location = await client.create(base(listId), {
    header: rule.header,
    pattern: rule.pattern,
    ...(rule.action ? { action: rule.action } : {}),
    ...(rule.tag ? { tag: rule.tag } : {}),
  });
  const position = Number(location.replace(/\/+$/, "").split("/").pop());
  if (!Number.isInteger(position)) throw new Error(`Unexpected Location header: ${location}`);
  return position;
}

export interface HeaderMatchPatch {
  header?: string;
  pattern?: string;
  /** null resets the rule to the site default; `''` is how the core spells that. */
  action?: HeaderMatchAction | null;
  /** The core lower-cases a tag sent by PATCH: only send it when it really changes. */
  tag?: string;
}

/**
 * Changes fields of one rule. The core does not check for duplicates on PATCH and applies the
 * fields one by one, so a failure can leave earlier ones written: never combine a move
 * with other changes.
 */
export function updateHeaderMatch(client: MailmanClient, listId: string, position: number, patch: HeaderMatchPatch): Promise<void> {
  const body: Record<string, unknown> = {};
  if (patch.header !== undefined) body.header = patch.header;
  if (patch.pattern !== undefined) body.pattern = patch.pattern;
  if (patch.action !== undefined) body.action = patch.action ?? "";
  if (patch.tag !== undefined) body.tag = patch.tag;
  return client.send("PATCH", `${base(listId)}/${position}`, body);
}

/** Moves a rule to `to`; the rules in between shift by one. `to` must be below the rule count. */
export function moveHeaderMatch(client: MailmanClient, listId: string, from: number, to: number): Promise<void> {
  return client.send("PATCH", `${base(listId)}/${from}`, { position: to });
}

/** Removes one rule; the ones after it move up. */
export function deleteHeaderMatch(client: MailmanClient, listId: string, position: number): Promise<void> {
  return client.send("DELETE", `${base(listId)}/${position}`);
}
