import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { networkKey } from "@/lib/auth/client-address";
import { consumeLoginAttempt } from "@/lib/auth/rate-limit";
import { emailSchema, type Viewer } from "@/lib/auth/users";
import { derivedKey } from "@/lib/crypto/secret-box";
import { appUrl, env } from "@/lib/env";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { MailmanError, type MailmanClient, type SubscribeResult } from "@/lib/mailman";
import { sendMail } from "@/lib/mail/mailer";
import { allRequests, getRequest, moderateRequest } from "@/lib/mailman/requests";
import { defaultTextOf, publishTemplate, saveTemplate, type PublishResult } from "@/lib/templates/templates";
import { clientForTarget } from "@/lib/targets/targets";
import { forgetConfirmation, recordConfirmation, rememberModeratorRequest } from "./confirmations";
import { issueSubscribeToken, readSubscribeToken, SIGNED_TOKEN, subscribeLinkMail, type SubscribeGrant } from "./subscribe-link";
import { queryId } from "@/lib/validation/ids";

/**
 * Subscribing without an account from a list's public page (console.md §4.2): the core mails its
 * confirmation (`list:user:action:subscribe`), whose link leads to Listkeeper's confirm page. For
 * an address the core has verified already it would mail none (and subscribe at once on an open
 * list), so Listkeeper mails its own signed link then (subscribe-link.ts) and files the
 * subscription only when it is used; one `GET /addresses/{email}` tells the two apart.
 * Bots are kept out without a third-party service: a hidden field people leave empty, a minimum
 * time between showing the form and sending it (a signed timestamp, so it cannot be forged), and
 * rate limits per address and per network. The answer never tells whether the address is
 * subscribed already.
 */

export const MIN_FORM_SECONDS = 3;
const MAX_FORM_SECONDS = 24 * 3600;
export const SUBSCRIBE_TEMPLATE = "list:user:action:subscribe";
export const CHECK_TO_CONFIRM = "Check your mail: the list sent a message with a link to confirm the subscription.";

function formKey(): Buffer {
  return derivedKey("listkeeper:anonymous-subscribe-form");
}

/** A stamp for the form: when it was shown, signed. */
export function issueFormStamp(now = Date.now()): string {
  const at = String(Math.floor(now / 1000));
  return `${at}.${createHmac("sha256", formKey()).update(at).digest("base64url")}`;
}

/** Seconds since the stamp was issued, or null when it is not one of ours. */
export function formAge(stamp: string, now = Date.now()): number | null {
  const [at, mac] = stamp.split(".");
  if (!at || !mac || !/^\d{1,12}$/.test(at)) return null;
  const expected = createHmac("sha256", formKey()).update(at).digest();
  const given = Buffer.from(mac, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return Math.floor(now / 1000) - Number(at);
}

export const anonymousSubscribeSchema = z.object({
  targetId: queryId,
  listId: z.string().min(1).max(320),
  email: emailSchema,
  displayName: z.string().trim().max(200).default(""),
  /** The hidden field: people never see it, so never fill it. */
  website: z.string().max(500).default(""),
  stamp: z.string().max(200),
});

export async function anonymousSubscribe(raw: z.input<typeof anonymousSubscribeSchema>, context: { clientAddress: string }, now = Date.now()): Promise<{ message: string }> {
  const input = anonymousSubscribeSchema.parse(raw);
  const age = formAge(input.stamp, now);
  if (input.website !== "" || age === null) {
    logger.info({ client: context.clientAddress }, "anonymous subscribe: bot trap");
    // Bots get the answer people get; nothing is filed.
    return { message: CHECK_TO_CONFIRM };
  }
  if (age < MIN_FORM_SECONDS) throw new InvalidInputError("That was quicker than people type. Wait a moment and send the form again.");
  if (age > MAX_FORM_SECONDS) throw new InvalidInputError("This form is too old. Reload the page and send it again.");
  const limit = await consumeLoginAttempt([
    { key: `anon-subscribe:ip:${networkKey(context.clientAddress)}`, max: env.LOGIN_MAX_ATTEMPTS * 2 },
    { key: `anon-subscribe:email:${input.email}`, max: 3 },
  ]);
  if (!limit.allowed) throw new InvalidInputError(`Too many subscription requests. Wait ${Math.ceil(limit.retryAfterSeconds / 60)} minutes and try again.`);
  const { client } = await clientForTarget(input.targetId);
  const list = await client.getList(input.listId);
  if (!list?.advertised) throw new NotFoundError("There is no such list.");
  // An address the core has verified gets no confirmation from the core (it would subscribe it at
  // once on an open list): Listkeeper mails its own link and files nothing until it is used.
  const known = await client.getAddress(input.email);
  if (known?.verified_on) {
    await mailSubscribeLink({ targetId: input.targetId, listId: list.list_id, email: input.email, displayName: input.displayName || undefined }, now);
    return { message: CHECK_TO_CONFIRM };
  }
  try {
    const result = await client.subscribe({ listId: list.list_id, subscriber: input.email, displayName: input.displayName || undefined, preVerified: false, preConfirmed: false });
    // Remembered so that My lists shows it to whoever confirms this address in Listkeeper.
    if (result.kind === "pending" && result.tokenOwner === "subscriber") await recordConfirmation({ targetId: input.targetId, listId: list.list_id, email: input.email, token: result.token });
  } catch (error) {
    // Already subscribed, or a request pending: the same answer, so the form tells nobody who is on the list.
    if (error instanceof MailmanError && (error.status === 409 || /already/i.test(error.description ?? ""))) return { message: CHECK_TO_CONFIRM };
    throw error;
  }
  return { message: CHECK_TO_CONFIRM };
}

async function mailSubscribeLink(grant: SubscribeGrant, now: number): Promise<void> {
  try {
    await sendMail(grant.email, subscribeLinkMail(grant, issueSubscribeToken(grant, now)));
  } catch (error) {
    // The form answers the same either way: a failure here must not tell that the address is known.
    logger.error({ err: error instanceof Error ? error.message : String(error), listId: grant.listId }, "anonymous subscribe: confirmation mail not sent");
  }
}

/** The confirmation link the core puts in its mail; `$listname` and `$token` are the core's. */
export function confirmLinkTemplate(targetId: number, origin = appUrl): string {
  return `${origin.replace(/\/+$/, "")}/confirm/${targetId}?list=$listname&token=$token`;
}

/** The core's confirmation text with Listkeeper's link on top; the `confirm $token` reply still works. */
export function subscribeTemplateText(targetId: number, origin = appUrl): string {
  return `To confirm your subscription, open this link:\n\n    ${confirmLinkTemplate(targetId, origin)}\n\n${defaultTextOf(SUBSCRIBE_TEMPLATE)}`;
}

/** Publishes the domain's confirmation template with the link, through the template machinery. */
export async function publishConfirmationTemplate(
  client: MailmanClient,
  targetId: number,
  mailHost: string,
  actorUserId: string,
  options: { baseUrl?: string; origin?: string } = {},
): Promise<PublishResult> {
  const owner = { targetId, scope: "domain" as const, scopeId: mailHost };
  await saveTemplate(owner, SUBSCRIBE_TEMPLATE, subscribeTemplateText(targetId, options.origin), actorUserId);
  return publishTemplate(client, owner, SUBSCRIBE_TEMPLATE, actorUserId, { baseUrl: options.baseUrl });
}

const CORE_TOKEN = /^[A-Za-z0-9]{16,100}$/;

export const confirmSchema = z.object({
  targetId: queryId,
  list: z.string().min(1).max(320),
  // The core's token, or Listkeeper's signed one (subscribe-link.ts).
  token: z.string().refine((t) => CORE_TOKEN.test(t) || SIGNED_TOKEN.test(t), "Not a confirmation token."),
});

export type ConfirmOutcome = { state: "subscribed" | "pending_approval"; email: string; listId: string };

/** What a confirmation link is about, without using it; null when it does not work (any more). */
export async function peekConfirmation(raw: z.input<typeof confirmSchema>): Promise<{ email: string; listId: string } | null> {
  const input = confirmSchema.safeParse(raw);
  if (!input.success) return null;
  const { client } = await clientForTarget(input.data.targetId);
  const list = await client.getList(input.data.list);
  if (!list) return null;
  if (SIGNED_TOKEN.test(input.data.token)) {
    const grant = readSubscribeToken(input.data.token);
    // Signed for this server and list only: a link cannot be pointed at another list.
    if (!grant || grant.targetId !== input.data.targetId || grant.listId !== list.list_id) return null;
    return { email: grant.email, listId: list.list_id };
  }
  const request = await getRequest(client, list.list_id, input.data.token);
  // Only the subscriber's own confirmation: a moderator's token is not for this page.
  if (!request || request.token_owner !== "subscriber" || request.type !== "subscription" || !request.email) return null;
  return { email: request.email, listId: list.list_id };
}

/**
 * Confirms with the mailed token. `viewer`, when someone signed in confirms one of their own
 * confirmed addresses on a moderated list, gets the moderator's request on My lists (with cancel,
 * and no second request filed, Q-8) as if they had filed it there.
 */
export async function confirmSubscription(raw: z.input<typeof confirmSchema>, viewer: Viewer | null = null): Promise<ConfirmOutcome> {
  const input = confirmSchema.parse(raw);
  const pending = await peekConfirmation(input);
  if (!pending) throw new InvalidInputError("This confirmation link does not work any more: it was used or it expired.");
  const { client } = await clientForTarget(input.targetId);
  if (SIGNED_TOKEN.test(input.token)) return fileConfirmedSubscription(client, input.targetId, pending, readSubscribeToken(input.token)?.displayName, viewer);
  // On a moderated list the core replaces the token by a moderator's one.
  await moderateRequest(client, pending.listId, input.token, "accept");
  await forgetConfirmation(input.targetId, pending.listId, pending.email);
  const found = await client.findMembers({ listId: pending.listId, subscriber: pending.email, role: "member" }, { count: 1, page: 1 });
  if (found.total > 0) return { state: "subscribed", ...pending };
  const email = pending.email.toLowerCase();
  if (viewer?.verifiedEmails.includes(email)) {
    // The confirmed request got a new, moderator-owned token: find it by address.
    const request = (await allRequests(client, pending.listId, { tokenOwner: "moderator", requestType: "subscription" })).find((r) => r.email?.toLowerCase() === email);
    if (request) await rememberModeratorRequest({ accountId: viewer.id, targetId: input.targetId, listId: pending.listId, email, token: request.token });
  }
  return { state: "pending_approval", ...pending };
}

/**
 * Files the subscription Listkeeper's own link confirmed: the address is the subscriber's, and
 * they said yes. A moderated list still asks its moderators. Used again, the link changes nothing.
 */
async function fileConfirmedSubscription(client: MailmanClient, targetId: number, pending: { email: string; listId: string }, displayName: string | undefined, viewer: Viewer | null): Promise<ConfirmOutcome> {
  let result: SubscribeResult;
  try {
    result = await client.subscribe({ listId: pending.listId, subscriber: pending.email, displayName, preVerified: true, preConfirmed: true });
  } catch (error) {
    if (!(error instanceof MailmanError && error.status === 409)) throw error;
    return { state: /pending/i.test(error.description ?? "") ? "pending_approval" : "subscribed", ...pending };
  }
  if (result.kind === "subscribed") return { state: "subscribed", ...pending };
  if (viewer?.verifiedEmails.includes(pending.email)) await rememberModeratorRequest({ accountId: viewer.id, targetId, listId: pending.listId, email: pending.email, token: result.token });
  return { state: "pending_approval", ...pending };
}
