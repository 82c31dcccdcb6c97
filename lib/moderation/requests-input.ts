import { z } from "zod";
import { REQUEST_ACTIONS, type RequestFilter } from "@/lib/mailman/requests";
import { queryId } from "@/lib/validation/ids";

/** The three request queues of a list (console.md §3.8), their core filters and input schemas. */

export const REQUEST_TABS = {
  approval: { label: "Awaiting approval", filter: { tokenOwner: "moderator", requestType: "subscription" } },
  confirmation: { label: "Awaiting confirmation", filter: { tokenOwner: "subscriber", requestType: "subscription" } },
  unsubscriptions: { label: "Unsubscriptions", filter: { tokenOwner: "moderator", requestType: "unsubscription" } },
} as const satisfies Record<string, { label: string; filter: RequestFilter }>;

export type RequestTab = keyof typeof REQUEST_TABS;
export const REQUEST_TAB_KEYS = Object.keys(REQUEST_TABS) as RequestTab[];
export const REQUESTS_PAGE_SIZE = 25;
export const MAX_REQUESTS_BULK = 100;

/** The console's request actions: the core's four, plus "ban" (a list ban, then discard). */
export const REQUEST_UI_ACTIONS = [...REQUEST_ACTIONS, "ban"] as const;
export type RequestUiAction = (typeof REQUEST_UI_ACTIONS)[number];

const listRef = z.object({ targetId: queryId, listId: z.string().min(1).max(320) });

export const moderateRequestsSchema = listRef.extend({
  tab: z.enum(REQUEST_TAB_KEYS as [RequestTab, ...RequestTab[]]),
  items: z
    .array(z.object({ token: z.string().min(1).max(200).regex(/^[A-Za-z0-9_-]+$/, "Not a request token."), email: z.string().max(320).default("") }))
    .min(1, "Select at least one request.")
    .max(MAX_REQUESTS_BULK),
  action: z.enum(REQUEST_UI_ACTIONS),
  reason: z.string().trim().max(1000, "At most 1000 characters.").optional(),
});

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);

export const requestsQuerySchema = z.object({
  tab: z.preprocess(first, z.enum(REQUEST_TAB_KEYS as [RequestTab, ...RequestTab[]]).catch("approval")).default("approval"),
  page: z.preprocess(first, z.coerce.number().int().min(1).max(100_000).catch(1)).default(1),
});

export function parseRequestsQuery(raw: Record<string, string | string[] | undefined>): { tab: RequestTab; page: number } {
  return requestsQuerySchema.parse(raw);
}
