import { z } from "zod";
import { HELD_ACTIONS } from "@/lib/mailman/held";
import { queryId } from "@/lib/validation/ids";

/** Input schemas of held-message actions, shared by the server actions and their forms. */

/** Every entry of the core's held collection carries the whole message (§9 point 6): keep pages small. */
export const HELD_PAGE_SIZE = 10;
export const MAX_HELD_BULK = 50;
export const MAX_REASON = 1000;

const listRef = z.object({ targetId: queryId, listId: z.string().min(1).max(320) });
const requestId = z.coerce.number().int().nonnegative();
const reason = z.string().trim().max(MAX_REASON, `At most ${MAX_REASON} characters.`).optional();
/**
 * Where the decision was made. From a message's own page the browser goes on to the queue, which
 * renders afresh; re-rendering the emptied message page first would only cost core calls (and
 * flash "no longer held").
 */
const from = z.enum(["queue", "message"]).default("queue");

export const moderateHeldSchema = listRef.extend({
  requestIds: z.array(requestId).min(1, "Select at least one message.").max(MAX_HELD_BULK),
  action: z.enum(HELD_ACTIONS),
  reason,
  from,
});

export const heldSenderActionSchema = listRef.extend({ requestId, from });

export const heldPageQuerySchema = z.object({
  page: z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.coerce.number().int().min(1).max(100_000).catch(1)).default(1),
});

export function parseHeldPageQuery(raw: Record<string, string | string[] | undefined>): { page: number } {
  return heldPageQuerySchema.parse(raw);
}
