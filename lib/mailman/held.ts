import { z } from "zod";
import type { MailmanClient, PageRequest } from "./client";
import type { Member, Page } from "./schemas";

/**
 * A list's held messages, `/lists/{id}/held` (console.md §3.7). Every entry of the collection
 * carries the full raw message (`msg`) and there is no `fields=`, so pages must stay small.
 * `request_id` is an integer; a message already handled answers 404.
 */

export const HELD_ACTIONS = ["accept", "reject", "discard", "defer"] as const;
export type HeldAction = (typeof HELD_ACTIONS)[number];

/**
 * One entry of `moderation_reasons` as 3.3.8 stores it: a plain string, or a pair of a template
 * and its argument (`["Header \"{}\" matched a header rule", "subject: …"]`, `["The message is
 * larger than the {} KB maximum size", 40]`) that the core itself formats only in `reason`.
 */
export const moderationReasonSchema = z.union([z.string(), z.array(z.union([z.string(), z.number(), z.null()])).min(1)]);
export type ModerationReason = z.infer<typeof moderationReasonSchema>;

/** A reason in words: the template's `{}` / `{0}` placeholders filled as Python's str.format does. */
export function formatModerationReason(reason: ModerationReason): string {
  if (typeof reason === "string") return reason;
  const [template, ...args] = reason;
  let next = 0;
  return String(template ?? "").replace(/\{(\d*)\}/g, (_match, index: string) => {
    const value = index === "" ? args[next++] : args[Number(index)];
    return value === undefined || value === null ? "" : String(value);
  });
}

export const heldMessageSchema = z.object({
  request_id: z.number().int(),
  sender: z.string().nullish(),
  subject: z.string().nullish(),
  reason: z.string().nullish(),
  hold_date: z.string().nullish(),
  message_id: z.string().nullish(),
  msg: z.string().optional().default(""),
  moderation_reasons: z.array(moderationReasonSchema).nullish(),
  rule_hits: z.array(z.string()).nullish(),
  original_size: z.number().nullish(),
  self_link: z.string(),
});
export type HeldMessage = z.infer<typeof heldMessageSchema>;

const enc = encodeURIComponent;
const base = (listId: string) => `/lists/${enc(listId)}/held`;
const countSchema = z.object({ count: z.number().int() });

export function listHeld(client: MailmanClient, listId: string, request: PageRequest): Promise<Page<HeldMessage>> {
  return client.page(base(listId), heldMessageSchema, request);
}

/** Every held message of the list (each with its full text: only for queues known to be short). */
export function allHeld(client: MailmanClient, listId: string): Promise<HeldMessage[]> {
  return client.all(base(listId), heldMessageSchema, {}, 50);
}

/** `GET …/held/count`: the cheap count for badges. */
export async function countHeld(client: MailmanClient, listId: string): Promise<number> {
  return (await client.get(`${base(listId)}/count`, countSchema)).count;
}

export function getHeld(client: MailmanClient, listId: string, requestId: number): Promise<HeldMessage | null> {
  return client.getOrNull(`${base(listId)}/${requestId}`, heldMessageSchema);
}

/**
 * Moderates one message. `comment` is the reason sent to the sender with `reject`. A message
 * that is no longer held answers 404 (`forward` is not accepted by the core at all).
 */
export async function moderateHeld(client: MailmanClient, listId: string, requestId: number, action: HeldAction, comment?: string): Promise<void> {
  // A loaded core answers 500 ("database is locked") and rolls the decision back. Discard and
  // defer change only the core's database, so they are retried (a repeat after a lost answer
  // finds the request gone: 404, reported as already handled). Accept and reject queue mail
  // before the commit, so a retry could post or notify twice: they are not retried.
  const idempotent = action === "discard" || action === "defer";
  await client.send("POST", `${base(listId)}/${requestId}`, { action, ...(action === "reject" && comment ? { comment } : {}) }, { idempotent });
}

/**
 * Sets how a sender's future posts to the list are moderated: on their member entry when they
 * are one, else on their nonmember entry (created when missing; the core normally adds one on
 * the first post). Returns the role that was changed. `null` resets to the list default.
 */
export async function setSenderModeration(
  client: MailmanClient,
  listId: string,
  email: string,
  action: "accept" | "hold" | "reject" | "discard" | "defer" | null,
): Promise<"member" | "nonmember"> {
  const found = await client.findMembers({ listId, subscriber: email }, { count: 50, page: 1 }, ["member_id", "role", "email"]);
  const member = found.entries.find((m) => m.role === "member") ?? found.entries.find((m) => m.role === "nonmember");
  let memberId = member?.member_id;
  let role: "member" | "nonmember" = member?.role === "member" ? "member" : "nonmember";
  if (!memberId) {
    const created = await client.subscribe({ listId, subscriber: email, role: "nonmember" });
    if (created.kind !== "subscribed") throw new Error("The core did not create a nonmember entry");
    memberId = created.memberId;
    role = "nonmember";
  }
  await client.send("PATCH", `/members/${enc(memberId)}`, { moderation_action: action });
  return role;
}

/** The member entry used by `setSenderModeration`, for tests and display. */
export async function senderEntry(client: MailmanClient, listId: string, email: string): Promise<Member | null> {
  const found = await client.findMembers({ listId, subscriber: email }, { count: 50, page: 1 });
  return found.entries.find((m) => m.role === "member") ?? found.entries.find((m) => m.role === "nonmember") ?? null;
}

/**
 * Puts a raw RFC 5322 message into one of the core's queues (`in` runs the list's pipeline as
 * if it came by LMTP). Returns the queue file's name. Used by tests and diagnostics only.
 */
export async function injectMessage(client: MailmanClient, listId: string, text: string, queue = "in"): Promise<string> {
  const location = await client.create(`/queues/${enc(queue)}`, { list_id: listId, text });
  return decodeURIComponent(location.replace(/\/+$/, "").split("/").pop() ?? "");
}
