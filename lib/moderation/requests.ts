import { z } from "zod";
import { noteChange } from "@/lib/audit";
import type { ListAccess } from "@/lib/auth/list-access";
import { permits } from "@/lib/auth/roles";
import { ForbiddenError, InvalidInputError } from "@/lib/errors";
import { MailmanError, MailmanTransportError, type MailmanClient } from "@/lib/mailman";
import { addBan } from "@/lib/mailman/bans";
import { allRequests, countRequests, listRequests, moderateRequest, type PendingRequest, type RequestAction, type RequestType } from "@/lib/mailman/requests";
import type { ItemResult } from "./outcome";
import { moderateRequestsSchema, REQUEST_TAB_KEYS, REQUEST_TABS, REQUESTS_PAGE_SIZE, type RequestTab, type RequestUiAction } from "./requests-input";
import { forgetBadgeCounts } from "./badges";

/**
 * Subscription and unsubscription requests (console.md §3.8). Postorius downloads every request
 * of a list for each page; here a page is one `count`+`page` call plus a cheap `count` per other
 * tab. Tokens change under the moderator and may be handled by someone else at any time:
 * a 404 is reported as a plain result for that item, never as an error page.
 */

export interface RequestSummary {
  token: string;
  email: string;
  displayName: string;
  when: string | null;
}

export interface RequestsPage {
  tab: RequestTab;
  entries: RequestSummary[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
  counts: Record<RequestTab, number>;
}

const summary = (r: PendingRequest): RequestSummary => ({ token: r.token, email: r.email ?? "", displayName: r.display_name ?? "", when: r.when ?? null });

export async function loadRequestsPage(client: MailmanClient, listId: string, tab: RequestTab, page: number, pageSize = REQUESTS_PAGE_SIZE): Promise<RequestsPage> {
  const others = REQUEST_TAB_KEYS.filter((t) => t !== tab);
  const [current, ...otherCounts] = await Promise.all([
    listRequests(client, listId, REQUEST_TABS[tab].filter, { count: pageSize, page }),
    ...others.map((t) => countRequests(client, listId, REQUEST_TABS[t].filter)),
  ]);
  const counts = { [tab]: current.total } as Record<RequestTab, number>;
  others.forEach((t, i) => (counts[t] = otherCounts[i] ?? 0));
  return {
    tab,
    entries: current.entries.map(summary),
    total: current.total,
    page,
    pageCount: Math.max(1, Math.ceil(current.total / pageSize)),
    pageSize,
    counts,
  };
}

/** Requests that need a moderator: pending approval of subscriptions and of unsubscriptions. */
export async function countPendingRequests(client: MailmanClient, listId: string): Promise<number> {
  const [subscriptions, unsubscriptions] = await Promise.all([
    countRequests(client, listId, REQUEST_TABS.approval.filter),
    countRequests(client, listId, REQUEST_TABS.unsubscriptions.filter),
  ]);
  return subscriptions + unsubscriptions;
}

export const STALE_REQUEST = "This request was already handled or replaced (the core gave it a new token); the list was refreshed.";

function doneText(tab: RequestTab, action: RequestUiAction, email: string): string {
  const who = email || "The address";
  switch (action) {
    case "accept":
      if (tab === "confirmation") return `Confirmed on ${who}'s behalf; if the list also needs approval, it now waits under “Awaiting approval”.`;
      return tab === "unsubscriptions" ? `Approved: ${who} is unsubscribed.` : `Approved: ${who} is subscribed.`;
    case "reject":
      return `Rejected: ${who} was told.`;
    case "discard":
      return "Discarded without notice.";
    case "defer":
      return "Deferred: it stays pending.";
    case "ban":
      return `Banned ${who} from this list and discarded the request.`;
  }
}

/** Where a stale token's address is pending now, if anywhere (Q-14: a confirmation makes a new token). */
function staleText(replacement: PendingRequest | undefined): string {
  if (!replacement) return STALE_REQUEST;
  const where = replacement.token_owner === "moderator" ? "awaiting approval" : replacement.token_owner === "subscriber" ? "awaiting the subscriber's confirmation" : "pending";
  return `${STALE_REQUEST} It is now ${where}.`;
}

function failureText(error: unknown): string {
  if (error instanceof MailmanError || error instanceof MailmanTransportError) return error.userMessage;
  throw error;
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new InvalidInputError(issue?.message ?? "The request was not valid.", { field: issue?.path[0]?.toString() });
}

/**
 * The list's pending requests by token. The core acts on any list's token through any list's URL
 * (`POST /lists/B/requests/{token of A}` approves A's request, verified on 3.3.8), so every token
 * must be found among the guarded list's own requests before anything is sent. The core lists one
 * request type at a time (subscriptions when none is asked for).
 */
async function requestsOfList(client: MailmanClient, listId: string, requestType: RequestType): Promise<Map<string, PendingRequest>> {
  const requests = await allRequests(client, listId, { requestType });
  return new Map(requests.filter((r) => !r.list_id || r.list_id === listId).map((r) => [r.token, r]));
}

/**
 * Accept, reject (with a reason), discard, defer or ban (list ban, then discard) requests; one
 * result per request in input order. Only tokens of the guarded list are acted on; others are
 * reported stale. The e-mail sent along with a token is used for messages only: a ban reads the
 * address from the core.
 */
export async function moderateRequests(access: ListAccess, input: z.input<typeof moderateRequestsSchema>): Promise<ItemResult[]> {
  const { tab, items, action, reason } = parse(moderateRequestsSchema, input);
  if (action === "ban") {
    const facts = { isSuperuser: access.viewer.isSuperuser, roles: access.roles, advertised: Boolean(access.list.advertised) };
    if (!permits(facts, "administer")) throw new ForbiddenError("Only the list's owners may ban addresses.");
  }
  const listId = access.list.list_id;
  const seen = new Set<string>();
  const unique = items.filter((i) => (seen.has(i.token) ? false : (seen.add(i.token), true)));

  const stale = new Set<string>();
  const requestType = REQUEST_TABS[tab].filter.requestType;
  const ofList = await requestsOfList(access.client, listId, requestType);
  const results = await Promise.all(
    unique.map(async ({ token, email: shown }): Promise<ItemResult> => {
      let email = shown;
      const request = ofList.get(token);
      if (!request) {
        stale.add(token);
        return { id: token, outcome: "stale", message: STALE_REQUEST };
      }
      try {
        if (action === "ban") {
          email = (request.email ?? "").toLowerCase();
          if (!email) return { id: token, outcome: "failed", message: "The core did not say which address this request is for." };
          try {
            await addBan(access.client, { listId }, email);
          } catch (error) {
            if (!(error instanceof MailmanError && error.status === 400 && /already banned/i.test(error.description ?? ""))) throw error;
          }
          await noteChange({ targetId: access.target.id, action: "ban.add", subject: listId, detail: { email, via: "request" } });
        }
        const coreAction: RequestAction = action === "ban" ? "discard" : action;
        await moderateRequest(access.client, listId, token, coreAction, reason || undefined);
      } catch (error) {
        if (error instanceof MailmanError && error.status === 404) {
          stale.add(token);
          return { id: token, outcome: "stale", message: STALE_REQUEST };
        }
        if (error instanceof MailmanError && error.status === 409) {
          return { id: token, outcome: "failed", message: `${error.userMessage}. The request was left as it is.` };
        }
        const message = failureText(error);
        await noteChange({ targetId: access.target.id, action: `request.${action}`, subject: listId, outcome: "failed", detail: { token, tab, error: message } });
        return { id: token, outcome: "failed", message };
      }
      await noteChange({
        targetId: access.target.id,
        action: `request.${action}`,
        subject: listId,
        detail: { token, tab, ...(email ? { email } : {}), ...(action === "reject" && reason ? { reason } : {}) },
      });
      return { id: token, outcome: "done", message: doneText(tab, action, email) };
    }),
  );
  // Decided or found stale: either way the counts behind the badges changed.
  forgetBadgeCounts(access.target.id, listId);

  if (stale.size > 0) {
    // To say where a stale token's address went: the list's requests as read before,
    // and again after the decisions when a token vanished on the way.
    let current: PendingRequest[] = [...ofList.values()].filter((r) => !stale.has(r.token));
    if (results.some((r) => r.outcome === "stale" && ofList.has(r.id))) {
      try {
        current = await allRequests(access.client, listId, { requestType });
      } catch {
        // The plain message is still right.
      }
    }
    for (const result of results) {
      if (result.outcome !== "stale") continue;
      const email = unique.find((i) => i.token === result.id)?.email.toLowerCase();
      result.message = staleText(email ? current.find((r) => r.email?.toLowerCase() === email && r.token !== result.id) : undefined);
    }
  }
  return results;
}
