import { randomUUID } from "node:crypto";
import { findRolesOf } from "@/lib/auth/list-roles";
import { sessionUserId } from "@/lib/auth/session";
import { loadViewer } from "@/lib/auth/users";
import { MailmanClient } from "@/lib/mailman";
import { EarlyGets } from "@/lib/mailman/early";
import { nodeCoreFetch } from "@/lib/mailman/transport";
import { rememberedConnection } from "@/lib/targets/remembered-connections";
import { targetConnection } from "@/lib/targets/targets";
import { keepListPageReads, roomForListPageReads } from "./early-reads-store";
import { listPageReadFor, type PageSearch } from "./page-reads";

/**
 * A list page's core GETs, sent by the proxy as its request arrives (issue 13). Next.js spends
 * several milliseconds setting up a render before a page's code runs; the page's first GETs (the
 * guard's `GET lists/{id}`, its role look-up for an account that is not a superuser, and the
 * page's own read, ./page-reads.ts) leave during that time instead of after it, and the page's
 * client takes their answers (lib/mailman/early.ts, lib/targets/request-client.ts).
 *
 * Nothing is decided here. The GETs leave only for a request with a valid session, as the page's
 * own early reads do (./list-page.ts); their answers reach the page only through its client,
 * which reads the target itself and takes an answer only for the same URL and credentials, and
 * the page shows them only after its guard has let the viewer in. Answers nobody takes (a
 * refused or failed page) are dropped after 30 s (./early-reads-store.ts).
 *
 * The proxy and the pages are bundled apart, each with its own copy of this module: what they
 * share lives on globalThis (./early-reads-store.ts), and only plain data passes between them.
 */
const LIST_PAGE = /^\/lists\/(\d+)\/([^/]+)(\/.*)?$/;

/** Which list page a URL path is, or null; the list id as the page decodes it. */
export function listPageOfPath(pathname: string): { targetId: number; listId: string; sub: string } | null {
  const match = LIST_PAGE.exec(pathname);
  if (!match) return null;
  const targetId = Number(match[1]);
  if (!Number.isSafeInteger(targetId) || targetId < 1) return null;
  try {
    return { targetId, listId: decodeURIComponent(match[2]!), sub: match[3] ?? "" };
  } catch {
    return null;
  }
}

/**
 * Called by the proxy for every request: for a list page, starts its GETs and returns the id the
 * page finds them by (null for anything else). Never throws: a failure here only means that the
 * page sends its own GETs.
 */
export function startListPageReads(method: string, url: URL, requestHeaders: Headers): string | null {
  if (method !== "GET") return null;
  // A router prefetch renders no page data; a server action is a POST.
  if (requestHeaders.has("next-router-prefetch")) return null;
  const page = listPageOfPath(url.pathname);
  // `members/find` and the list's resources take the list id, not the posting address.
  if (!page || page.listId.includes("@") || !roomForListPageReads()) return null;
  const { targetId, listId, sub } = page;
  const id = randomUUID();
  const gets = new EarlyGets();
  const userId = sessionUserId(requestHeaders).catch(() => null);
  gets.sendingUntil(
    (async () => {
      const account = await userId;
      if (!account) return;
      const read = listPageReadFor(sub, searchOf(url));
      // This client only sends: each call is answered at once with a refusal, never retried and
      // never logged as a call (the page's client logs the call when it takes the answer).
      const client = new MailmanClient({ ...(await rememberedConnection(targetId, targetConnection)), transport: gets.sender(nodeCoreFetch), retries: 0, recordCalls: false });
      const list = { list_id: listId };
      const roles = rememberedRoleLookup(account).then((emails) => Promise.allSettled(emails.map((email) => findRolesOf(client, listId, email))));
      await Promise.allSettled([client.getList(listId), read?.({ client, list }), roles]);
    })(),
  );
  keepListPageReads(id, { targetId, userId, gets });
  return id;
}

/**
 * The addresses whose roles the guard will look up for this account (its verified ones; none for
 * a superuser), remembered for ACCOUNT_MS: only to choose which `members/find` GETs to send
 * ahead. The guard decides from the account as the page reads it; a GET for an address the
 * account no longer has is simply not taken (its URL names the address).
 */
const ACCOUNT_MS = 30_000;
const accounts = new Map<string, { emails: Promise<string[]>; until: number }>();

function rememberedRoleLookup(userId: string, now = Date.now()): Promise<string[]> {
  const known = accounts.get(userId);
  if (known && known.until > now) return known.emails;
  if (accounts.size >= 1_000) accounts.clear();
  const emails = loadViewer(userId).then((viewer) => (!viewer || viewer.isSuperuser ? [] : viewer.verifiedEmails));
  accounts.set(userId, { emails, until: now + ACCOUNT_MS });
  emails.catch(() => accounts.delete(userId));
  return emails;
}

/** Search parameters as Next.js hands them to a page: a repeated key becomes an array. */
export function searchOf(url: URL): PageSearch {
  const search: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const seen = search[key];
    search[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return search;
}
