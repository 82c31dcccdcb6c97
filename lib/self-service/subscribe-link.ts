import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { derivedKey } from "@/lib/crypto/secret-box";
import { appUrl } from "@/lib/env";
import { appLink, composeMail, type ComposedMail } from "@/lib/mail/compose";

/**
 * Listkeeper's own confirmation of an anonymous subscription, for addresses the core knows as
 * verified already: the core (3.3.8, SubscriptionWorkflow) then mails no confirmation and, on an
 * open list, subscribes at once, so anyone could subscribe someone else's known address. The
 * link carries a signed token bound to the server, list, lower-cased address and an expiry;
 * nothing is stored, and the subscription is filed only when the link is used.
 */

/** As long as the core keeps its own confirmation requests (`pending_request_life`). */
export const SUBSCRIBE_LINK_LIFE_SECONDS = 3 * 24 * 3600;

/** `<payload>.<mac>`, both base64url; told apart from the core's hex tokens by the dot. */
export const SIGNED_TOKEN = /^[A-Za-z0-9_-]{10,1200}\.[A-Za-z0-9_-]{43}$/;

function linkKey(): Buffer {
  return derivedKey("listkeeper:anonymous-subscribe-link");
}

const payloadSchema = z.object({
  t: z.number().int().positive(),
  l: z.string().min(1).max(320),
  e: z.string().min(3).max(320),
  d: z.string().max(200).optional(),
  x: z.number().int().positive(),
});

export interface SubscribeGrant {
  targetId: number;
  listId: string;
  email: string;
  displayName?: string;
}

const mac = (payload: string) => createHmac("sha256", linkKey()).update(payload).digest();

export function issueSubscribeToken(grant: SubscribeGrant, now = Date.now()): string {
  const body = { t: grant.targetId, l: grant.listId, e: grant.email.toLowerCase(), ...(grant.displayName ? { d: grant.displayName } : {}), x: Math.floor(now / 1000) + SUBSCRIBE_LINK_LIFE_SECONDS };
  const payload = Buffer.from(JSON.stringify(body), "utf8").toString("base64url");
  return `${payload}.${mac(payload).toString("base64url")}`;
}

/** The grant of a token signed by this Listkeeper and not expired; null for anything else. */
export function readSubscribeToken(token: string, now = Date.now()): SubscribeGrant | null {
  if (!SIGNED_TOKEN.test(token)) return null;
  const [payload, signature] = token.split(".") as [string, string];
  const given = Buffer.from(signature, "base64url");
  const expected = mac(payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let body: z.infer<typeof payloadSchema>;
  try {
    body = payloadSchema.parse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
  } catch {
    return null;
  }
  if (body.x <= Math.floor(now / 1000)) return null;
  return { targetId: body.t, listId: body.l, email: body.e, ...(body.d ? { displayName: body.d } : {}) };
}

export function subscribeLinkMail(grant: SubscribeGrant, token: string, origin = appUrl): ComposedMail {
  return composeMail({
    subject: `Confirm your subscription to ${grant.listId}`,
    paragraphs: [
      `Someone (hopefully you) asked to subscribe ${grant.email} to the mailing list ${grant.listId}.`,
      "Open the link below and confirm to subscribe. The link works for three days.",
    ],
    action: { label: "Confirm the subscription", url: appLink(origin, `/confirm/${grant.targetId}`, { list: grant.listId, token }) },
    footer: "If you did not ask for this, ignore this message: nothing changes without the link.",
  });
}
