import { z } from "zod";
import type { HeldAction } from "@/lib/mailman/held";

/**
 * The notice the held queue shows after a decision taken on a message's own page. That page
 * cannot show it itself: the decision takes the message out of the queue, and the action's
 * revalidation re-renders the page as "no longer held". So the page goes back to the queue with
 * the decision in the search parameters (`?done=accept&subject=…`). Only a kind, an optional
 * subject and an optional sender address travel in the URL; the words are fixed here, so a
 * crafted link cannot make Listkeeper say anything else. Browser-safe: the message page builds
 * the link, the queue page parses it.
 */

export const HELD_DONE_TEXT = {
  accept: "Accepted: the message goes on to the list.",
  reject: "Rejected: the sender was told.",
  discard: "Discarded.",
  defer: "Deferred: it stays in the queue.",
} as const satisfies Record<HeldAction, string>;

export const STALE_HELD_TEXT = "No longer held: someone else already handled it. The queue was refreshed.";

/** Decisions that end with the message out of the queue ("stale": someone else was quicker). */
export const HELD_NOTICE_KINDS = ["accept", "reject", "discard", "accept-always", "discard-ban", "stale"] as const;
export type HeldNoticeKind = (typeof HELD_NOTICE_KINDS)[number];

export interface HeldNotice {
  kind: HeldNoticeKind;
  /** The message left the queue but the step about its sender (always accept, ban) did not happen. */
  partial: boolean;
  subject?: string;
  sender?: string;
}

const MAX_SUBJECT = 200;

const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);

/** Anything unexpected drops the notice (or the part of it) rather than the page. */
const heldNoticeQuerySchema = z.object({
  done: z.preprocess(first, z.enum(HELD_NOTICE_KINDS)),
  partial: z.preprocess(first, z.literal("1").optional()).catch(undefined),
  subject: z.preprocess(first, z.string().trim().min(1).max(MAX_SUBJECT).optional()).catch(undefined),
  sender: z.preprocess(first, z.email().max(320).optional()).catch(undefined),
});

export function parseHeldNotice(raw: Record<string, string | string[] | undefined>): HeldNotice | null {
  const parsed = heldNoticeQuerySchema.safeParse(raw);
  if (!parsed.success) return null;
  const { done, partial, subject, sender } = parsed.data;
  return { kind: done, partial: partial === "1" && (done === "accept-always" || done === "discard-ban"), subject, sender };
}

/** The queue's address with the notice; a long subject is cut so the link stays short. */
export function heldNoticeHref(queuePath: string, notice: HeldNotice): string {
  const query = new URLSearchParams({ done: notice.kind });
  if (notice.partial) query.set("partial", "1");
  const subject = notice.subject?.trim();
  if (subject) query.set("subject", subject.length > MAX_SUBJECT ? `${subject.slice(0, MAX_SUBJECT - 1)}…` : subject);
  if (notice.sender && z.email().max(320).safeParse(notice.sender).success) query.set("sender", notice.sender);
  return `${queuePath}?${query.toString()}`;
}

export function heldNoticeText(notice: HeldNotice): { tone: "success" | "warning"; text: string } {
  const who = notice.sender ?? "its sender";
  switch (notice.kind) {
    case "accept":
    case "reject":
    case "discard":
      return { tone: "success", text: HELD_DONE_TEXT[notice.kind] };
    case "accept-always":
      return notice.partial
        ? { tone: "warning", text: `${HELD_DONE_TEXT.accept} But ${who} could not be set to always accept: future posts may be held again.` }
        : { tone: "success", text: `${HELD_DONE_TEXT.accept} Future posts from ${who} are accepted without moderation.` };
    case "discard-ban":
      return notice.partial
        ? { tone: "warning", text: `${HELD_DONE_TEXT.discard} But ${who} could not be banned: add the ban on the list's Bans page.` }
        : { tone: "success", text: `${HELD_DONE_TEXT.discard} ${notice.sender ?? "Its sender"} is banned from this list.` };
    case "stale":
      return { tone: "warning", text: STALE_HELD_TEXT };
  }
}
