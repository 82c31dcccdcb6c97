import type { MailmanClient } from "@/lib/mailman";
import { countHeld } from "@/lib/mailman/held";
import { countRequests } from "@/lib/mailman/requests";

/** Pending moderation work of one list, as the list header's badges show it. */
export interface BadgeCounts {
  held: number;
  /** Subscription and unsubscription requests awaiting a moderator (not those awaiting the subscriber). */
  requests: number;
}

/**
 * How long counts are reused. Work that reaches the core from outside (a post held by its rules,
 * a subscription request) shows within this; Listkeeper's own decisions show at once, because
 * lib/moderation forgets the list's counts after each of them.
 */
export const BADGE_TTL_MS = 30_000;

interface Entry {
  at: number;
  counts: Promise<BadgeCounts>;
  /** Set once the counts arrived. */
  value?: BadgeCounts;
}

/**
 * Per process, keyed by target and list id. Only the Next server reads and invalidates it (the job
 * worker moderates nothing); bounded so that a crawl over many lists cannot grow it without end.
 */
const cache = new Map<string, Entry>();
const MAX_ENTRIES = 5_000;
const key = (targetId: number, listId: string) => `${targetId}\u0000${listId}`;

/**
 * Two cheap `count` calls: held messages, and requests owned by the moderator (the core counts
 * subscriptions and unsubscriptions together when no request type is given).
 */
export async function countBadges(client: MailmanClient, listId: string): Promise<BadgeCounts> {
  const [held, requests] = await Promise.all([countHeld(client, listId), countRequests(client, listId, { tokenOwner: "moderator" })]);
  return { held, requests };
}

/** The list's counts: from the cache while younger than BADGE_TTL_MS, else from the core (then cached). */
export function loadBadgeCounts(client: MailmanClient, targetId: number, listId: string, now = Date.now()): Promise<BadgeCounts> {
  const k = key(targetId, listId);
  const hit = cache.get(k);
  if (hit && now - hit.at < BADGE_TTL_MS) return hit.counts;
  const counts = countBadges(client, listId);
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  const entry: Entry = { at: now, counts };
  cache.set(k, entry);
  // A failure is not remembered: the next view asks again.
  counts.then(
    (value) => {
      entry.value = value;
    },
    () => {
      if (cache.get(k) === entry) cache.delete(k);
    },
  );
  return counts;
}

/**
 * Counts already known and fresh, without asking or waiting for the core: what a server-rendered
 * list header can show at once (null: the browser loads them after the page).
 */
export function peekBadgeCounts(targetId: number, listId: string, now = Date.now()): BadgeCounts | null {
  const hit = cache.get(key(targetId, listId));
  if (!hit || now - hit.at >= BADGE_TTL_MS) return null;
  return hit.value ?? null;
}

/** After Listkeeper's own moderation of the list: the next view counts again. */
export function forgetBadgeCounts(targetId: number, listId: string): void {
  cache.delete(key(targetId, listId));
}
