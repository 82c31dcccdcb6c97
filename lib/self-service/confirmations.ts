import { and, eq, gt, inArray, lte } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { selfServiceRequests, subscriptionConfirmations } from "@/db/schema";
import { consumeLoginAttempt } from "@/lib/auth/rate-limit";
import type { Viewer } from "@/lib/auth/users";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secret-box";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { MailmanError, type SubscribeResult } from "@/lib/mailman";
import { moderateRequest } from "@/lib/mailman/requests";
import { clientForTarget } from "@/lib/targets/targets";
import { sealRequestToken } from "./request-tokens";
import type { ToggleOutcome } from "./subscriptions";
import { queryId } from "@/lib/validation/ids";

/**
 * Subscriptions that wait for the subscriber's confirmation by mail (console.md §4.2, issue 8
 * "pending confirmation"). Listkeeper files them from the anonymous form on a list's public
 * page and remembers them here, by address; My lists shows them to whoever has the address
 * confirmed in Listkeeper, at no core call (the page budget), with "Send again" and "Cancel".
 * A record goes when the subscription is confirmed (Listkeeper's confirm page), cancelled, found
 * gone in the core, seen subscribed on My lists, or older than the core keeps requests.
 */

/** The core's `pending_request_life` default (mailman.cfg `[mailman]`); it forgets requests then. */
export const CONFIRMATION_LIFE_MS = 3 * 24 * 3600 * 1000;
export const RESENDS_PER_WINDOW = 3;

export type ConfirmationRow = typeof subscriptionConfirmations.$inferSelect;

const sealedFor = (targetId: number, listId: string, email: string) => `subscription-confirmation:${targetId}:${listId}:${email}`;

/** Remembers (or replaces) the pending confirmation of `email` on a list, its token sealed. */
export async function recordConfirmation(input: { targetId: number; listId: string; email: string; token: string }, now = new Date()): Promise<void> {
  const email = input.email.toLowerCase();
  const values = {
    tokenSealed: encryptSecret(input.token, sealedFor(input.targetId, input.listId, email)),
    requestedAt: now,
    expiresAt: new Date(now.getTime() + CONFIRMATION_LIFE_MS),
  };
  const db = await getDb();
  await db
    .insert(subscriptionConfirmations)
    .values({ targetId: input.targetId, listId: input.listId, email, ...values })
    .onConflictDoUpdate({ target: [subscriptionConfirmations.targetId, subscriptionConfirmations.listId, subscriptionConfirmations.email], set: values });
  // The records of addresses nobody confirmed in Listkeeper are never looked at again: drop them when they expire.
  await db.delete(subscriptionConfirmations).where(lte(subscriptionConfirmations.expiresAt, now));
}

/** The waiting confirmations of these addresses (a database read, no core call). */
export async function confirmationsOf(emails: readonly string[], now = new Date()): Promise<ConfirmationRow[]> {
  if (emails.length === 0) return [];
  const db = await getDb();
  return db
    .select()
    .from(subscriptionConfirmations)
    .where(and(inArray(subscriptionConfirmations.email, [...emails]), gt(subscriptionConfirmations.expiresAt, now)));
}

export async function forgetConfirmation(targetId: number, listId: string, email: string): Promise<void> {
  const db = await getDb();
  await db
    .delete(subscriptionConfirmations)
    .where(and(eq(subscriptionConfirmations.targetId, targetId), eq(subscriptionConfirmations.listId, listId), eq(subscriptionConfirmations.email, email.toLowerCase())));
}

export async function forgetConfirmationsById(ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  const db = await getDb();
  await db.delete(subscriptionConfirmations).where(inArray(subscriptionConfirmations.id, [...ids]));
}

/** A subscription request of the account that now waits for a moderator (shown on My lists, cancellable). */
export async function rememberModeratorRequest(input: { accountId: string; targetId: number; listId: string; email: string; token: string }): Promise<void> {
  const db = await getDb();
  await db
    .insert(selfServiceRequests)
    .values({ ...input, kind: "subscribe", token: sealRequestToken({ ...input, kind: "subscribe" }, input.token) })
    .onConflictDoNothing();
}

export const confirmationActionSchema = z.object({ confirmationId: queryId });

/** A waiting confirmation of one of the viewer's confirmed addresses; nobody else's. */
async function confirmationOfViewer(viewer: Viewer, id: number): Promise<ConfirmationRow & { token: string }> {
  const [row] = (await confirmationsOf(viewer.verifiedEmails)).filter((r) => r.id === id);
  if (!row) throw new NotFoundError("This request is gone: it was confirmed, cancelled or it expired.");
  return { ...row, token: decryptSecret(row.tokenSealed, sealedFor(row.targetId, row.listId, row.email)) };
}

const GONE = "This request is gone: it was confirmed, cancelled or it expired.";

/** Discards the core's request; false when the core had forgotten it already. */
async function discardInCore(row: ConfirmationRow & { token: string }): Promise<boolean> {
  const { client } = await clientForTarget(row.targetId);
  try {
    await moderateRequest(client, row.listId, row.token, "discard");
    return true;
  } catch (error) {
    if (error instanceof MailmanError && error.status === 404) return false;
    throw error;
  }
}

/** Withdraws a subscription that waits for confirmation (one core call; the core sends no mail). */
export async function cancelConfirmation(viewer: Viewer, id: number): Promise<ToggleOutcome> {
  const row = await confirmationOfViewer(viewer, id);
  const found = await discardInCore(row);
  await forgetConfirmationsById([row.id]);
  return { state: "not_subscribed", message: found ? "The subscription request is withdrawn." : GONE };
}

/**
 * Mails the confirmation again. The core has no "re-send": the request is discarded and filed
 * anew (two core calls), which mails a new link and makes the old one stop working.
 */
export async function resendConfirmation(viewer: Viewer, id: number): Promise<ToggleOutcome> {
  const row = await confirmationOfViewer(viewer, id);
  const limit = await consumeLoginAttempt([{ key: `resend-confirmation:${row.email}`, max: RESENDS_PER_WINDOW }]);
  if (!limit.allowed) throw new InvalidInputError(`The mail was sent several times already. Wait ${Math.ceil(limit.retryAfterSeconds / 60)} minutes and try again.`);
  if (!(await discardInCore(row))) {
    await forgetConfirmationsById([row.id]);
    return { state: "not_subscribed", message: GONE };
  }
  const { client } = await clientForTarget(row.targetId);
  let result: SubscribeResult;
  try {
    result = await client.subscribe({ listId: row.listId, subscriber: row.email, preVerified: false, preConfirmed: false });
  } catch (error) {
    await forgetConfirmationsById([row.id]);
    if (error instanceof MailmanError && error.status === 409 && !/pending/i.test(error.description ?? "")) return { state: "subscribed", message: "You are subscribed already." };
    throw error;
  }
  if (result.kind === "subscribed") {
    // The address is confirmed in the core by now, and the list needs no more.
    await forgetConfirmationsById([row.id]);
    return { state: "subscribed", message: `Subscribed ${row.email}.` };
  }
  if (result.tokenOwner === "moderator") {
    await forgetConfirmationsById([row.id]);
    await rememberModeratorRequest({ accountId: viewer.id, targetId: row.targetId, listId: row.listId, email: row.email, token: result.token });
    return { state: "pending_approval", message: "Waiting for approval: the list's moderators decide on new members." };
  }
  await recordConfirmation({ targetId: row.targetId, listId: row.listId, email: row.email, token: result.token });
  return { state: "pending_confirmation", message: `Sent again to ${row.email}: open the link in the new mail (the old one no longer works).` };
}
