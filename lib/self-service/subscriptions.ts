import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { selfServiceRequests } from "@/db/schema";
import { isUniqueViolation } from "@/db/unique-violation";
import { resolveListRoles } from "@/lib/auth/list-roles";
import { emailSchema, type Viewer } from "@/lib/auth/users";
import { ForbiddenError, InvalidInputError, NotFoundError, UpstreamError } from "@/lib/errors";
import { personOf } from "@/lib/identity/addresses";
import { ensureCoreUser, knownCoreUserId } from "@/lib/identity/core-user";
import { MailmanError, type MailmanClient } from "@/lib/mailman";
import { getMember, unsubscribeMember } from "@/lib/mailman/members";
import { moderateRequest } from "@/lib/mailman/requests";
import { clientForTarget } from "@/lib/targets/targets";
import { confirmationsOf } from "./confirmations";
import { openRequestToken, sealRequestToken } from "./request-tokens";
import { queryId } from "@/lib/validation/ids";

/**
 * One-click subscribe and unsubscribe for members (console.md §4.2). A toggle costs at most two
 * core calls once the person's core user exists (the first subscription on a server creates it,
 * lib/identity/core-user.ts). Requests that wait for a moderator are recorded, and a second click
 * answers "waiting for approval" instead of filing a second request.
 */

export const subscribeSchema = z.object({
  targetId: queryId,
  listId: z.string().min(1).max(320),
  /** "primary": follows the primary address (`as_user`); otherwise one confirmed address. */
  address: z.union([z.literal("primary"), emailSchema]),
});

export const unsubscribeSchema = z.object({
  targetId: queryId,
  listId: z.string().min(1).max(320),
  memberId: z.string().regex(/^[0-9a-f]{32}$/i, "Not a membership id."),
});

export interface ToggleOutcome {
  state: "subscribed" | "not_subscribed" | "pending_approval" | "pending_unsubscribe" | "pending_confirmation";
  message: string;
}

async function openRequest(accountId: string, targetId: number, listId: string, kind: "subscribe" | "unsubscribe") {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(selfServiceRequests)
    .where(and(eq(selfServiceRequests.accountId, accountId), eq(selfServiceRequests.targetId, targetId), eq(selfServiceRequests.listId, listId), eq(selfServiceRequests.kind, kind)));
  return row ?? null;
}

async function recordRequest(values: typeof selfServiceRequests.$inferInsert): Promise<void> {
  const db = await getDb();
  try {
    await db.insert(selfServiceRequests).values({ ...values, token: sealRequestToken(values, values.token) });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}

async function coreUserId(client: MailmanClient, targetId: number, viewer: Viewer): Promise<string> {
  return (await knownCoreUserId(targetId, viewer.id)) ?? (await ensureCoreUser(client, targetId, personOf(viewer))).userId;
}

export async function subscribe(viewer: Viewer, input: z.input<typeof subscribeSchema>): Promise<ToggleOutcome> {
  const { targetId, listId, address } = subscribeSchema.parse(input);
  if (address !== "primary" && !viewer.verifiedEmails.includes(address)) {
    throw new ForbiddenError(`${address} is not one of your confirmed addresses. Confirm it on your addresses page first.`);
  }
  const email = address === "primary" ? viewer.primaryEmail : address;
  if (!email) throw new InvalidInputError("Confirm one of your addresses first: Listkeeper only uses confirmed addresses.");
  if (await openRequest(viewer.id, targetId, listId, "subscribe")) {
    return { state: "pending_approval", message: "Your request is waiting for a moderator's approval already." };
  }
  // A subscription of one of the person's addresses that waits for its confirmation by mail: a
  // second request would be refused for that address (409), or, for another address of theirs,
  // end in two memberships once the first is confirmed. Either way, none is filed.
  const waiting = (await confirmationsOf(viewer.verifiedEmails)).find((c) => c.targetId === targetId && c.listId === listId);
  if (waiting) {
    return { state: "pending_confirmation", message: `Your subscription waits for you to confirm it: open the link mailed to ${waiting.email}, or send it again.` };
  }
  const { client } = await clientForTarget(targetId);
  const list = await client.getList(listId);
  if (!list || (!list.advertised && (await resolveListRoles(client, targetId, listId, viewer)).size === 0)) throw new NotFoundError("There is no such list.");
  // An `as_address` subscription needs the address linked to the person's core user too, or the
  // core would make a user of its own for it.
  const userId = await coreUserId(client, targetId, viewer);
  const subscriber = address === "primary" ? userId : email;
  try {
    const result = await client.subscribe({ listId, subscriber, preVerified: true, preConfirmed: true });
    if (result.kind === "subscribed") return { state: "subscribed", message: `Subscribed ${address === "primary" ? "with your primary address" : email}.` };
    await recordRequest({ accountId: viewer.id, targetId, listId, kind: "subscribe", email, token: result.token });
    return { state: "pending_approval", message: "Waiting for approval: the list's moderators decide on new members." };
  } catch (error) {
    if (error instanceof MailmanError && error.status === 409 && /pending/i.test(error.description ?? "")) {
      // Filed elsewhere (a mail to the list's -join address, another web UI): Listkeeper cannot tell for whom it waits.
      return { state: "pending_approval", message: "A subscription request for this address is waiting already: for your confirmation by mail or for a moderator." };
    }
    if (error instanceof MailmanError && error.status === 409) return { state: "subscribed", message: "You are subscribed already." };
    if (isTemplateFetchFailure(error)) {
      // The core subscribed, then failed on the welcome message (its text is fetched from
      // Listkeeper's template endpoint): say so in words, never the core's Python exception.
      const found = await client.findMembers({ listId, subscriber: email, role: "member" }, { count: 1, page: 1 }).catch(() => null);
      const unsent = "The list's welcome message was not sent: the Mailman server could not fetch its text from Listkeeper. A superuser can check TEMPLATE_BASE_URL.";
      if (found && found.total > 0) return { state: "subscribed", message: `Subscribed ${address === "primary" ? "with your primary address" : email}. ${unsent}` };
      throw new UpstreamError(`Not subscribed: the Mailman server could not fetch the list's welcome message from Listkeeper. Try again in a moment.`);
    }
    throw error;
  }
}

/**
 * The core's answer when a template it renders could not be fetched: a 4xx or 5xx whose text is
 * the Python exception naming the template URL (Q-5: the endpoint must stay reachable).
 */
export function isTemplateFetchFailure(error: unknown): boolean {
  return error instanceof MailmanError && /\/api\/templates\/|HTTPConnectionPool|Max retries exceeded/.test(`${error.title} ${error.description ?? ""}`);
}

export async function unsubscribe(viewer: Viewer, input: z.input<typeof unsubscribeSchema>): Promise<ToggleOutcome> {
  const { targetId, listId, memberId } = unsubscribeSchema.parse(input);
  if (await openRequest(viewer.id, targetId, listId, "unsubscribe")) {
    return { state: "pending_unsubscribe", message: "Your unsubscription is waiting for a moderator's approval already." };
  }
  const { client } = await clientForTarget(targetId);
  const member = await getMember(client, memberId);
  if (!member || member.list_id !== listId || member.role !== "member") throw new NotFoundError("This subscription does not exist any more.");
  // Only a subscription of one of the person's confirmed addresses is theirs (CVE-2021-40347).
  if (!member.email || !viewer.verifiedEmails.includes(member.email.toLowerCase())) throw new NotFoundError("This subscription does not exist any more.");
  const result = await unsubscribeMember(client, memberId);
  if (result.kind === "removed") return { state: "not_subscribed", message: "Unsubscribed." };
  await recordRequest({ accountId: viewer.id, targetId, listId, kind: "unsubscribe", email: member.email.toLowerCase(), token: result.token });
  return { state: "pending_unsubscribe", message: "Waiting for approval: the list's moderators confirm unsubscriptions." };
}

export const cancelRequestSchema = z.object({ requestId: queryId });

/** Withdraws a request that waits for a moderator (the core discards it without a notice). */
export async function cancelRequest(viewer: Viewer, requestId: number): Promise<ToggleOutcome> {
  const db = await getDb();
  const [row] = await db.select().from(selfServiceRequests).where(and(eq(selfServiceRequests.id, requestId), eq(selfServiceRequests.accountId, viewer.id)));
  if (!row) throw new NotFoundError("This request is gone: a moderator may have decided on it.");
  const { client } = await clientForTarget(row.targetId);
  try {
    await moderateRequest(client, row.listId, openRequestToken(row), "discard");
  } catch (error) {
    // Handled meanwhile: nothing left to withdraw.
    if (!(error instanceof MailmanError && error.status === 404)) throw error;
  }
  await db.delete(selfServiceRequests).where(eq(selfServiceRequests.id, row.id));
  return row.kind === "subscribe"
    ? { state: "not_subscribed", message: "Your subscription request is withdrawn." }
    : { state: "subscribed", message: "Your unsubscription request is withdrawn." };
}
