import { and, eq, inArray, sql } from "drizzle-orm";
import pLimit from "p-limit";
import { getDb } from "@/db/client";
import { bulkJobItems, bulkJobs } from "@/db/schema";
import { banHits, wildcardMatcher, type BanHit } from "@/lib/bans/ban-match";
import { MailmanError, MailmanTransportError, type MailmanAddress, type MailmanClient, type Member } from "@/lib/mailman";
import { allBans } from "@/lib/mailman/bans";
import { allHeld } from "@/lib/mailman/held";
import { getEffectivePreferences } from "@/lib/mailman/members";
import { allRequests } from "@/lib/mailman/requests";
import { clientForTarget, listTargets, StoredCredentialsError, type TargetSummary } from "@/lib/targets/targets";
import type { PersonQuery } from "./person-query";

/**
 * "Find a person everywhere" (issue 11 item 1): one person's place on every list of every Mailman
 * server Listkeeper knows. Two parts with their own budgets, both pinned in
 * find-everywhere.int.test.ts:
 *
 * - `findPerson`, the search: per server one call for the core user (`GET /users/{address}/addresses`,
 *   which answers the user's other addresses too) and one `members/find` per address found,
 *   every role at once. A pattern or a name is one `members/find` per server (the core matches a
 *   `*wildcard*` against addresses and display names). Nothing here grows with the number of lists.
 * - `findPersonDetails`, what the memberships do not say: per server the global bans (1 call);
 *   per list the person is on (any role, nonmember included: the core records every sender as a
 *   nonmember, so held posts can only be on those lists) its held messages, pending requests and
 *   bans (3 calls); per member-role membership its delivery status (1 call, the core keeps it in
 *   preferences). A scan of every list (pending requests and bans: 2 calls per list) only on request.
 */

export interface PersonAddress {
  email: string;
  displayName: string | null;
  verified: boolean;
  registeredOn: string;
}

export interface PersonMembership {
  targetId: number;
  listId: string;
  role: string;
  /** The subscription address (for `as_user`, the user's preferred address). */
  email: string;
  displayName: string | null;
  subscriptionMode: string | null;
  deliveryMode: string | null;
  moderationAction: string | null;
  bounceScore: number | null;
  lastBounceReceived: string | null;
  memberId: string;
  /** When a Listkeeper mass subscribe put it there; the core records no subscription date. */
  subscribedByListkeeperAt: Date | null;
}

export interface ServerFinding {
  targetId: number;
  targetName: string;
  /** The core user (exact search only), with every address it has on that server. */
  user: { userId: string; displayName: string | null; addresses: PersonAddress[] } | null;
  memberships: PersonMembership[];
  /** Set when this server could not be asked; the others are still shown. */
  problem: string | null;
}

export interface PersonFinding {
  query: PersonQuery;
  servers: ServerFinding[];
  /** Every address found, lower-cased (the typed one first for an exact search). */
  addresses: string[];
}

const MEMBER_FIELDS = [
  "member_id",
  "email",
  "role",
  "list_id",
  "display_name",
  "subscription_mode",
  "delivery_mode",
  "moderation_action",
  "bounce_score",
  "last_bounce_received",
] as const;

/** One page is plenty for one address (one row per list and role); patterns are capped. */
const FIND_PAGE_SIZE = 1_000;

const ROLE_ORDER: Record<string, number> = { owner: 0, moderator: 1, member: 2, nonmember: 3 };

function problemText(error: unknown): string {
  if (error instanceof MailmanError || error instanceof MailmanTransportError) return error.userMessage;
  if (error instanceof StoredCredentialsError) return error.message;
  throw error;
}

function userIdOf(address: MailmanAddress): string | null {
  return address.user ? (address.user.replace(/\/+$/, "").split("/").pop() ?? null) : null;
}

/** The core user owning `email` with all its addresses, in one call; null when no user has it. */
async function userByAddress(client: MailmanClient, email: string): Promise<ServerFinding["user"]> {
  let addresses: MailmanAddress[];
  try {
    addresses = await client.userAddresses(email);
  } catch (error) {
    if (error instanceof MailmanError && error.status === 404) return null;
    throw error;
  }
  const own = addresses.find((a) => a.email === email) ?? addresses[0];
  const userId = own ? userIdOf(own) : null;
  if (!userId) return null;
  return {
    userId,
    displayName: own?.display_name ?? null,
    addresses: addresses.map((a) => ({ email: a.email, displayName: a.display_name ?? null, verified: Boolean(a.verified_on), registeredOn: a.registered_on })),
  };
}

async function membersBySubscriber(client: MailmanClient, subscriber: string): Promise<Member[]> {
  return (await client.findMembers({ subscriber }, { count: FIND_PAGE_SIZE, page: 1 }, MEMBER_FIELDS)).entries;
}

function toMembership(targetId: number, m: Member): PersonMembership {
  return {
    targetId,
    listId: m.list_id ?? "",
    role: m.role ?? "member",
    email: (m.email ?? "").toLowerCase(),
    displayName: m.display_name || null,
    subscriptionMode: m.subscription_mode ?? null,
    deliveryMode: m.delivery_mode ?? null,
    moderationAction: m.moderation_action ?? null,
    bounceScore: m.bounce_score ?? null,
    lastBounceReceived: m.last_bounce_received ?? null,
    memberId: m.member_id ?? "",
    subscribedByListkeeperAt: null,
  };
}

async function searchServer(target: TargetSummary, query: PersonQuery): Promise<ServerFinding> {
  const finding: ServerFinding = { targetId: target.id, targetName: target.name, user: null, memberships: [], problem: null };
  try {
    const { client } = await clientForTarget(target.id);
    let members: Member[];
    if (query.kind === "address") {
      // The user and the typed address's memberships in parallel; then the user's other addresses.
      const [user, typed] = await Promise.all([userByAddress(client, query.address), membersBySubscriber(client, query.address)]);
      const others = (user?.addresses ?? []).map((a) => a.email).filter((e) => e !== query.address);
      members = [...typed, ...(await Promise.all(others.map((email) => membersBySubscriber(client, email)))).flat()];
      finding.user = user;
    } else {
      members = await membersBySubscriber(client, query.wildcard);
      // The core's LIKE reads "_" as any character; an address pattern is checked again exactly.
      if (query.kind === "pattern" && query.wildcard.includes("@")) {
        const exact = wildcardMatcher(query.wildcard);
        members = members.filter((m) => exact(m.email ?? ""));
      }
    }
    // An as_user row and an as_address row can be the same membership found twice.
    const seen = new Set<string>();
    finding.memberships = members
      .filter((m) => (m.member_id && !seen.has(m.member_id) ? (seen.add(m.member_id), true) : false))
      .map((m) => toMembership(target.id, m))
      .sort((a, b) => a.listId.localeCompare(b.listId) || (ROLE_ORDER[a.role] ?? 9) - (ROLE_ORDER[b.role] ?? 9) || a.email.localeCompare(b.email));
  } catch (error) {
    finding.problem = problemText(error);
  }
  return finding;
}

/** When Listkeeper's own mass subscribe jobs subscribed these addresses (no core call). */
async function listkeeperSubscriptionDates(memberships: readonly PersonMembership[]): Promise<Map<string, Date>> {
  const emails = [...new Set(memberships.filter((m) => m.role === "member").map((m) => m.email))];
  if (emails.length === 0) return new Map();
  const db = await getDb();
  const rows = await db
    .select({ targetId: bulkJobs.targetId, listId: bulkJobs.listId, email: sql<string>`lower(${bulkJobItems.email})`, at: bulkJobItems.updatedAt })
    .from(bulkJobItems)
    .innerJoin(bulkJobs, eq(bulkJobs.id, bulkJobItems.jobId))
    .where(and(eq(bulkJobs.kind, "subscribe"), eq(bulkJobItems.outcome, "subscribed"), inArray(sql`lower(${bulkJobItems.email})`, emails)));
  const out = new Map<string, Date>();
  for (const r of rows) {
    const key = `${r.targetId}:${r.listId}:${r.email}`;
    const at = new Date(r.at);
    if (!out.has(key) || out.get(key)! < at) out.set(key, at);
  }
  return out;
}

/** Servers are asked in parallel (each has its own limiter in the client). */
export async function findPerson(query: PersonQuery, options: { targetIds?: readonly number[] } = {}): Promise<PersonFinding> {
  const targets = (await listTargets()).filter((t) => !options.targetIds || options.targetIds.includes(t.id));
  const servers = await Promise.all(targets.map((t) => searchServer(t, query)));
  const dates = await listkeeperSubscriptionDates(servers.flatMap((s) => s.memberships));
  for (const server of servers) {
    for (const m of server.memberships) m.subscribedByListkeeperAt = dates.get(`${m.targetId}:${m.listId}:${m.email}`) ?? null;
  }
  const addresses = new Set<string>(query.kind === "address" ? [query.address] : []);
  for (const server of servers) {
    for (const a of server.user?.addresses ?? []) addresses.add(a.email.toLowerCase());
    for (const m of server.memberships) if (m.email) addresses.add(m.email);
  }
  return { query, servers, addresses: [...addresses] };
}

// Details ----------------------------------------------------------------------------------------

export interface HeldFromSender {
  requestId: number;
  sender: string;
  subject: string | null;
  holdDate: string | null;
  reason: string | null;
}

export interface PendingRequestFound {
  token: string;
  type: string | null;
  email: string;
  when: string | null;
  tokenOwner: string | null;
}

export interface ListDetails {
  listId: string;
  held: HeldFromSender[];
  requests: PendingRequestFound[];
  bans: (BanHit & { address: string })[];
  /** What could not be read on this list (the others are still shown). */
  problems: string[];
}

export interface ServerDetails {
  targetId: number;
  targetName: string;
  globalBans: (BanHit & { address: string })[];
  lists: ListDetails[];
  /** member_id → effective delivery status (`enabled`, `by_user`, `by_bounces` …). */
  deliveryStatus: Record<string, string>;
  /** Lists looked at: those the person is on, or every list of the server when scanned. */
  listsChecked: number;
  scannedAllLists: boolean;
  problem: string | null;
}

/** Ban entries of one scope that refuse any of `addresses`. */
function hitsFor(entries: readonly string[], addresses: readonly string[]): (BanHit & { address: string })[] {
  return addresses.flatMap((address) => banHits(entries, address).map((hit) => ({ ...hit, address })));
}

async function listDetails(client: MailmanClient, listId: string, addresses: readonly string[], withHeld: boolean): Promise<ListDetails> {
  const mine = new Set(addresses);
  const details: ListDetails = { listId, held: [], requests: [], bans: [], problems: [] };
  const attempt = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (error) {
      details.problems.push(`${what}: ${problemText(error)}`);
    }
  };
  await Promise.all([
    withHeld
      ? attempt("held messages", async () => {
          details.held = (await allHeld(client, listId))
            .filter((h) => mine.has((h.sender ?? "").toLowerCase()))
            .map((h) => ({ requestId: h.request_id, sender: (h.sender ?? "").toLowerCase(), subject: h.subject ?? null, holdDate: h.hold_date ?? null, reason: h.reason ?? null }));
        })
      : Promise.resolve(),
    attempt("pending requests", async () => {
      details.requests = (await allRequests(client, listId, {}))
        .filter((r) => mine.has((r.email ?? "").toLowerCase()))
        .map((r) => ({ token: r.token, type: r.type ?? null, email: (r.email ?? "").toLowerCase(), when: r.when ?? null, tokenOwner: r.token_owner ?? null }));
    }),
    attempt("bans", async () => {
      details.bans = hitsFor(
        (await allBans(client, { listId })).map((b) => b.email),
        addresses,
      );
    }),
  ]);
  return details;
}

const isEmpty = (d: ListDetails) => d.held.length === 0 && d.requests.length === 0 && d.bans.length === 0 && d.problems.length === 0;

async function serverDetails(target: { id: number; name: string }, finding: PersonFinding, memberships: readonly PersonMembership[], scanAll: boolean): Promise<ServerDetails> {
  const out: ServerDetails = { targetId: target.id, targetName: target.name, globalBans: [], lists: [], deliveryStatus: {}, listsChecked: 0, scannedAllLists: scanAll, problem: null };
  try {
    const { client } = await clientForTarget(target.id);
    const limit = pLimit(4);
    const onLists = [...new Set(memberships.map((m) => m.listId))];
    const scanned = scanAll ? (await client.allLists()).map((l) => l.list_id).filter((id) => !onLists.includes(id)) : [];
    out.listsChecked = onLists.length + scanned.length;
    const [globalEntries, lists, statuses] = await Promise.all([
      allBans(client, "global"),
      Promise.all([
        ...onLists.map((listId) => limit(() => listDetails(client, listId, finding.addresses, true))),
        ...scanned.map((listId) => limit(() => listDetails(client, listId, finding.addresses, false))),
      ]),
      Promise.all(
        memberships
          .filter((m) => m.role === "member" && m.memberId)
          .map((m) =>
            limit(async () => {
              try {
                return [m.memberId, (await getEffectivePreferences(client, m.memberId)).delivery_status ?? "enabled"] as const;
              } catch (error) {
                problemText(error);
                return [m.memberId, "unknown"] as const;
              }
            }),
          ),
      ),
    ]);
    out.globalBans = hitsFor(
      globalEntries.map((b) => b.email),
      finding.addresses,
    );
    out.lists = lists.filter((d) => !isEmpty(d));
    out.deliveryStatus = Object.fromEntries(statuses);
  } catch (error) {
    out.problem = problemText(error);
  }
  return out;
}

/**
 * Held messages from the person, pending requests, bans (list and global, patterns too) and
 * delivery statuses, for the servers of a search. `scanAll` also reads every other list's pending
 * requests and bans (why can't they join list X?).
 */
export async function findPersonDetails(finding: PersonFinding, options: { scanAll?: boolean } = {}): Promise<ServerDetails[]> {
  return Promise.all(
    finding.servers
      .filter((s) => s.problem === null)
      .map((s) =>
        serverDetails(
          { id: s.targetId, name: s.targetName },
          finding,
          s.memberships.filter((m) => finding.addresses.includes(m.email)),
          options.scanAll ?? false,
        ),
      ),
  );
}
