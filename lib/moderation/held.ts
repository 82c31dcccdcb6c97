import { z } from "zod";
import { noteChange } from "@/lib/audit";
import type { ListAccess } from "@/lib/auth/list-access";
import { permits } from "@/lib/auth/roles";
import { ForbiddenError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { attachmentContent, headerValue, readMessage, type AttachmentInfo, type MimeHeader } from "@/lib/mail/mime";
import { MailmanError, MailmanTransportError, type MailmanClient } from "@/lib/mailman";
import { addBan } from "@/lib/mailman/bans";
import { formatModerationReason, getHeld, listHeld, moderateHeld, setSenderModeration, type HeldAction, type HeldMessage } from "@/lib/mailman/held";
import { HELD_PAGE_SIZE, heldSenderActionSchema, moderateHeldSchema } from "./held-input";
import { HELD_DONE_TEXT, STALE_HELD_TEXT } from "./held-notice";
import type { ItemResult } from "./outcome";
import { forgetBadgeCounts } from "./badges";

/**
 * Held messages (console.md §3.7, §9 point 6). A queue page is one core call (the page's
 * `total_size` is the count); a message view one call; a decision one POST per message, in
 * parallel within the per-core limit, each with its own result. Bodies never leave the server
 * as markup: the view gets headers, plain text and an attachment list (lib/mail/mime.ts).
 */

export interface HeldSummary {
  requestId: number;
  sender: string;
  subject: string;
  reason: string;
  holdDate: string | null;
  /** Bytes of the raw message as the core measured it, when known. */
  size: number | null;
}

export interface HeldPage {
  entries: HeldSummary[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
}

export interface HeldMessageView extends HeldSummary {
  messageId: string | null;
  headers: MimeHeader[];
  text: string;
  textSource: "plain" | "html" | "none";
  attachments: AttachmentInfo[];
  /** Why the core held it, one line per rule (`moderation_reasons`). */
  reasons: string[];
}

function summary(held: HeldMessage): HeldSummary {
  return {
    requestId: held.request_id,
    sender: held.sender ?? "",
    subject: held.subject ?? "",
    reason: held.reason ?? "",
    holdDate: held.hold_date ?? null,
    size: held.original_size ?? (held.msg ? Buffer.byteLength(held.msg) : null),
  };
}

export async function loadHeldPage(client: MailmanClient, listId: string, page: number, pageSize = HELD_PAGE_SIZE): Promise<HeldPage> {
  const result = await listHeld(client, listId, { count: pageSize, page });
  return {
    entries: result.entries.map(summary),
    total: result.total,
    page,
    pageCount: Math.max(1, Math.ceil(result.total / pageSize)),
    pageSize,
  };
}

export async function loadHeldMessage(client: MailmanClient, listId: string, requestId: number): Promise<HeldMessageView | null> {
  const held = await getHeld(client, listId, requestId);
  if (!held) return null;
  const message = readMessage(held.msg);
  const base = summary(held);
  return {
    ...base,
    // The core's `subject` is decoded already; fall back to the header for messages without one.
    subject: base.subject || headerValue(message.headers, "subject") || "",
    messageId: held.message_id ?? null,
    headers: message.headers,
    text: message.text,
    textSource: message.textSource,
    attachments: message.attachments,
    reasons: held.moderation_reasons?.length ? held.moderation_reasons.map(formatModerationReason) : held.reason ? [held.reason] : [],
  };
}

/** One attachment's bytes, for the download route; null when the message or attachment is gone. */
export async function loadHeldAttachment(client: MailmanClient, listId: string, requestId: number, index: number) {
  const held = await getHeld(client, listId, requestId);
  if (!held) return null;
  return attachmentContent(held.msg, index);
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new InvalidInputError(issue?.message ?? "The request was not valid.", { field: issue?.path[0]?.toString() });
}

function failureText(error: unknown): string {
  if (error instanceof MailmanError || error instanceof MailmanTransportError) return error.userMessage;
  throw error;
}

async function decide(access: ListAccess, requestId: number, action: HeldAction, reason: string | undefined): Promise<ItemResult> {
  const id = String(requestId);
  try {
    await moderateHeld(access.client, access.list.list_id, requestId, action, reason);
  } catch (error) {
    // A stale id means the queue changed under the badges too.
    if (error instanceof MailmanError && error.status === 404) forgetBadgeCounts(access.target.id, access.list.list_id);
    if (error instanceof MailmanError && error.status === 404) return { id, outcome: "stale", message: STALE_HELD_TEXT };
    const message = failureText(error);
    await noteChange({ targetId: access.target.id, action: `held.${action}`, subject: access.list.list_id, outcome: "failed", detail: { requestId, error: message } });
    return { id, outcome: "failed", message };
  }
  forgetBadgeCounts(access.target.id, access.list.list_id);
  await noteChange({
    targetId: access.target.id,
    action: `held.${action}`,
    subject: access.list.list_id,
    detail: { requestId, ...(action === "reject" && reason ? { reason } : {}) },
  });
  return { id, outcome: "done", message: HELD_DONE_TEXT[action] };
}

/** Accept, reject (with a reason), discard or defer messages; one result per message, in input order. */
export async function moderateHeldMessages(access: ListAccess, input: z.input<typeof moderateHeldSchema>): Promise<ItemResult[]> {
  const { requestIds, action, reason } = parse(moderateHeldSchema, input);
  const unique = [...new Set(requestIds)];
  return Promise.all(unique.map((requestId) => decide(access, requestId, action, reason || undefined)));
}

async function heldOrStale(access: ListAccess, requestId: number): Promise<HeldMessage> {
  const held = await getHeld(access.client, access.list.list_id, requestId);
  if (!held) throw new NotFoundError(STALE_HELD_TEXT);
  return held;
}

/**
 * Accepts the message, then sets the sender's moderation action to `accept` on this list (their
 * member entry, else their nonmember entry), as Postorius' "moderation_choice" does.
 */
export async function acceptAndAlwaysAccept(access: ListAccess, input: z.input<typeof heldSenderActionSchema>): Promise<ItemResult> {
  const { requestId } = parse(heldSenderActionSchema, input);
  const held = await heldOrStale(access, requestId);
  const result = await decide(access, requestId, "accept", undefined);
  if (result.outcome !== "done") return result;
  const sender = held.sender?.trim();
  if (!sender) return { ...result, outcome: "partial", message: `${result.message} The sender is unknown, so nothing was changed for future posts.` };
  try {
    const role = await setSenderModeration(access.client, access.list.list_id, sender, "accept");
    await noteChange({ targetId: access.target.id, action: "held.sender-accept", subject: access.list.list_id, detail: { email: sender, role } });
    return { ...result, message: `${result.message} Future posts from ${sender} are accepted without moderation.` };
  } catch (error) {
    return { ...result, outcome: "partial", message: `${result.message} But ${sender} could not be set to always accept: ${failureText(error)}` };
  }
}

/** Discards the message, then bans its sender from the list (owners only: bans are owners' business, §6). */
export async function discardAndBan(access: ListAccess, input: z.input<typeof heldSenderActionSchema>): Promise<ItemResult> {
  const { requestId } = parse(heldSenderActionSchema, input);
  const facts = { isSuperuser: access.viewer.isSuperuser, roles: access.roles, advertised: Boolean(access.list.advertised) };
  if (!permits(facts, "administer")) throw new ForbiddenError("Only the list's owners may ban addresses.");
  const held = await heldOrStale(access, requestId);
  const result = await decide(access, requestId, "discard", undefined);
  if (result.outcome !== "done") return result;
  const sender = held.sender?.trim().toLowerCase();
  if (!sender) return { ...result, outcome: "partial", message: `${result.message} The sender is unknown, so nobody was banned.` };
  try {
    await addBan(access.client, { listId: access.list.list_id }, sender);
  } catch (error) {
    if (!(error instanceof MailmanError && error.status === 400 && /already banned/i.test(error.description ?? ""))) {
      return { ...result, outcome: "partial", message: `${result.message} But ${sender} could not be banned: ${failureText(error)}` };
    }
    return { ...result, message: `${result.message} ${sender} was already banned.` };
  }
  await noteChange({ targetId: access.target.id, action: "ban.add", subject: access.list.list_id, detail: { email: sender, via: "held", requestId } });
  return { ...result, message: `${result.message} ${sender} is banned from this list.` };
}
