import { z } from "zod";
import type { MailmanClient, PageRequest } from "./client";
import type { Page } from "./schemas";

/**
 * A list's pending subscription and unsubscription requests, `/lists/{id}/requests`
 * (console.md §3.8). Tokens are not stable ids: confirming a subscriber-owned token on a
 * moderated list replaces it by a new moderator-owned one; a second unsubscription of the
 * same address makes a second request.
 */

export const REQUEST_ACTIONS = ["accept", "reject", "discard", "defer"] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];
export type TokenOwner = "no_one" | "subscriber" | "moderator";
export type RequestType = "subscription" | "unsubscription";

export const pendingRequestSchema = z.object({
  token: z.string(),
  type: z.string().nullish(),
  list_id: z.string().nullish(),
  email: z.string().nullish(),
  display_name: z.string().nullish(),
  when: z.string().nullish(),
  token_owner: z.string().nullish(),
});
export type PendingRequest = z.infer<typeof pendingRequestSchema>;

export interface RequestFilter {
  tokenOwner?: TokenOwner;
  requestType?: RequestType;
}

const enc = encodeURIComponent;
const countSchema = z.object({ count: z.number().int() });
const base = (listId: string) => `/lists/${enc(listId)}/requests`;
const query = (filter: RequestFilter) => ({ token_owner: filter.tokenOwner, request_type: filter.requestType });

export function listRequests(client: MailmanClient, listId: string, filter: RequestFilter, request: PageRequest): Promise<Page<PendingRequest>> {
  return client.page(base(listId), pendingRequestSchema, request, query(filter));
}

export function allRequests(client: MailmanClient, listId: string, filter: RequestFilter): Promise<PendingRequest[]> {
  return client.all(base(listId), pendingRequestSchema, query(filter));
}

/** `GET …/requests/count`: the cheap count for badges. */
export async function countRequests(client: MailmanClient, listId: string, filter: RequestFilter): Promise<number> {
  return (await client.get(`${base(listId)}/count`, countSchema, query(filter))).count;
}

export function getRequest(client: MailmanClient, listId: string, token: string): Promise<PendingRequest | null> {
  return client.getOrNull(`${base(listId)}/${enc(token)}`, pendingRequestSchema);
}

/** 404 when the token is unknown (handled, expired or replaced, Q-14); 409 "Already subscribed". */
export async function moderateRequest(client: MailmanClient, listId: string, token: string, action: RequestAction, reason?: string): Promise<void> {
  await client.send("POST", `${base(listId)}/${enc(token)}`, { action, ...(action === "reject" && reason ? { reason } : {}) });
}
