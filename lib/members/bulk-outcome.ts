import { MailmanError, MailmanTransportError } from "@/lib/mailman/errors";

/**
 * What happened to one address of a mass subscribe or removal, and how a core answer becomes
 * one. Pure, so that the rules for "in doubt" items (a worker died after sending, before
 * recording) are tested on their own: such an item is sent again, and the second answer is read
 * knowing what the roster said when the job was made (`expectedMember`).
 */

export const SUBSCRIBE_OUTCOMES = ["subscribed", "already_member", "pending_confirmation", "pending_approval", "banned", "invalid", "failed", "cancelled"] as const;
export const REMOVE_OUTCOMES = ["removed", "not_member", "pending_approval", "invalid", "failed", "cancelled"] as const;
export type BulkOutcome = (typeof SUBSCRIBE_OUTCOMES)[number] | (typeof REMOVE_OUTCOMES)[number];

export const OUTCOME_LABELS: Record<BulkOutcome, string> = {
  subscribed: "Subscribed",
  already_member: "Already a member",
  pending_confirmation: "Pending confirmation",
  pending_approval: "Pending approval",
  banned: "Banned",
  invalid: "Invalid",
  failed: "Failed",
  cancelled: "Not done (cancelled)",
  removed: "Removed",
  not_member: "Not a member",
};

export interface ItemResult {
  outcome: BulkOutcome;
  detail: string | null;
}

/** The answer to one `POST /members`: a result, or an error thrown by the client. */
export type SubscribeAnswer =
  | { kind: "subscribed" }
  | { kind: "pending"; tokenOwner: string }
  | { kind: "error"; error: unknown };

export interface ItemContext {
  /** The item was claimed by a worker that died: the core may already have acted on it. */
  inDoubt: boolean;
  /** The roster had the address when the job was made. */
  expectedMember: boolean;
}

/** Transport failures leave the item in doubt (retried later); anything else is final. */
export function isRetryable(error: unknown): boolean {
  return error instanceof MailmanTransportError || (error instanceof MailmanError && error.isTransient);
}

function pendingOutcome(tokenOwner: string): BulkOutcome {
  return tokenOwner === "moderator" ? "pending_approval" : "pending_confirmation";
}

const ALREADY_PENDING = /request already pending/i;

/**
 * Reads a subscribe answer. `pendingOwner` looks up who a pending request of the address waits
 * for (the core's 409 does not say); it is only called for that answer.
 */
export async function subscribeOutcome(answer: SubscribeAnswer, context: ItemContext, pendingOwner: () => Promise<string | null>): Promise<ItemResult> {
  if (answer.kind === "subscribed") return { outcome: "subscribed", detail: null };
  if (answer.kind === "pending") {
    const outcome = pendingOutcome(answer.tokenOwner);
    return { outcome, detail: outcome === "pending_approval" ? "Waiting for a moderator" : "A confirmation e-mail was sent to the address" };
  }
  const error = answer.error;
  if (!(error instanceof MailmanError)) {
    return { outcome: "failed", detail: error instanceof MailmanTransportError ? error.userMessage : String((error as Error)?.message ?? error) };
  }
  const words = error.userMessage;
  if (error.status === 409 && /already subscribed/i.test(words)) {
    // Our own first attempt went through before the worker died.
    if (context.inDoubt && !context.expectedMember) return { outcome: "subscribed", detail: null };
    return { outcome: "already_member", detail: null };
  }
  if (error.status === 409 && ALREADY_PENDING.test(words)) {
    const owner = await pendingOwner();
    const outcome = pendingOutcome(owner ?? "subscriber");
    if (context.inDoubt) return { outcome, detail: outcome === "pending_approval" ? "Waiting for a moderator" : "A confirmation e-mail was sent to the address" };
    return { outcome, detail: "A request for this address was already pending before this job" };
  }
  if (error.status === 400 && /banned/i.test(words)) return { outcome: "banned", detail: words };
  if (error.status === 400 && /invalid parameter "subscriber"|not a valid|posting address cannot subscribe/i.test(words)) {
    return { outcome: "invalid", detail: /posting address/i.test(words) ? words : "The core does not accept this address" };
  }
  return { outcome: "failed", detail: words };
}

/** Reads one entry of a bulk `DELETE …/roster/member` answer. */
export function bulkRemoveOutcome(removed: boolean, context: ItemContext): ItemResult {
  if (removed) return { outcome: "removed", detail: null };
  if (context.inDoubt && context.expectedMember) return { outcome: "removed", detail: null };
  return { outcome: "not_member", detail: null };
}

export type UnsubscribeAnswer = { kind: "removed" } | { kind: "pending" } | { kind: "not_member" };

/** Reads one `DELETE /lists/{id}/member/{email}` answer (the "notify members" path). */
export function unsubscribeOutcome(answer: UnsubscribeAnswer, context: ItemContext): ItemResult {
  if (answer.kind === "removed") return { outcome: "removed", detail: "Goodbye message sent if the list sends one" };
  if (answer.kind === "pending") return { outcome: "pending_approval", detail: "The list's unsubscription policy needs a moderator" };
  if (context.inDoubt && context.expectedMember) return { outcome: "removed", detail: "Goodbye message sent if the list sends one" };
  return { outcome: "not_member", detail: null };
}

export function errorOutcome(error: unknown): ItemResult {
  if (error instanceof MailmanError || error instanceof MailmanTransportError) return { outcome: "failed", detail: error.userMessage };
  return { outcome: "failed", detail: (error as Error)?.message ?? String(error) };
}
