import { and, eq } from "drizzle-orm";
import pLimit from "p-limit";
import { getDb } from "@/db/client";
import { selfServiceRequests, type subscriptionConfirmations } from "@/db/schema";
import type { Viewer } from "@/lib/auth/users";
import type { MailingList, Member } from "@/lib/mailman";
import { membershipsOfAddress } from "@/lib/mailman/users";
import { serverProblem } from "@/lib/targets/server-problem";
import { clientForTarget, listTargets } from "@/lib/targets/targets";
import { confirmationsOf, forgetConfirmationsById } from "./confirmations";

/**
 * "My lists" (console.md §4.4, issue 8): every list the person may see on every server, with
 * their state on it. A page view costs, per server, one call for its lists and one
 * `members/find` per verified address (Postorius: 43 calls for 20 subscriptions); nothing is
 * written. Only verified addresses are asked about, and only answers for exactly those addresses
 * are kept (a `*` in an address would make the core match a pattern), so nobody sees or changes
 * an address as theirs that they have not proven (CVE-2021-40347).
 */

export interface MySubscription {
  memberId: string;
  /** The address mail goes to. */
  email: string;
  /** "primary": follows the primary address (`as_user`); "address": this address only. */
  via: "primary" | "address";
  deliveryMode: string | null;
}

export type MyListState = "subscribed" | "pending_approval" | "pending_unsubscribe" | "pending_confirmation" | "not_subscribed";

export interface MyListEntry {
  targetId: number;
  targetName: string;
  listId: string;
  fqdn: string;
  displayName: string;
  description: string;
  advertised: boolean;
  subscriptions: MySubscription[];
  /** Owner and moderator roles held through a verified address. */
  roles: ("owner" | "moderator")[];
  pending: { id: number; kind: "subscribe" | "unsubscribe"; email: string } | null;
  /** A subscription of a confirmed address that waits for the confirmation mailed to it. */
  confirmation: { id: number; email: string; requestedAt: string } | null;
  state: MyListState;
}

export interface MyListsResult {
  entries: MyListEntry[];
  unreachable: { targetId: number; targetName: string; message: string }[];
  verifiedEmails: string[];
  primaryEmail: string | null;
}

type PendingRow = typeof selfServiceRequests.$inferSelect;
type ConfirmationRow = Pick<typeof subscriptionConfirmations.$inferSelect, "id" | "listId" | "email" | "requestedAt">;

/** Pure: one server's lists and memberships, plus the open requests, as entries. */
export function buildEntries(
  target: { id: number; name: string },
  lists: readonly MailingList[],
  memberships: readonly Member[],
  verifiedEmails: readonly string[],
  pending: readonly PendingRow[],
  confirmations: readonly ConfirmationRow[] = [],
): { entries: MyListEntry[]; stale: number[]; staleConfirmations: number[] } {
  const verified = new Set(verifiedEmails);
  const byList = new Map<string, Member[]>();
  const seen = new Set<string>();
  for (const m of memberships) {
    if (!m.list_id || !m.email || !verified.has(m.email.toLowerCase())) continue;
    const id = m.member_id ?? `${m.list_id}/${m.role}/${m.email}`;
    if (seen.has(id)) continue;
    seen.add(id);
    byList.set(m.list_id, [...(byList.get(m.list_id) ?? []), m]);
  }
  const stale: number[] = [];
  const staleConfirmations: number[] = [];
  const entries: MyListEntry[] = [];
  for (const list of lists) {
    const mine = byList.get(list.list_id) ?? [];
    const roles = (["owner", "moderator"] as const).filter((r) => mine.some((m) => m.role === r));
    const subscriptions: MySubscription[] = mine
      .filter((m) => m.role === "member" && m.member_id)
      .map((m) => ({ memberId: m.member_id!, email: m.email!.toLowerCase(), via: m.subscription_mode === "as_user" ? "primary" : "address", deliveryMode: m.delivery_mode ?? null }));
    if (!list.advertised && roles.length === 0 && subscriptions.length === 0) continue;
    let open = pending.find((p) => p.listId === list.list_id) ?? null;
    // A request the moderator has handled meanwhile shows in the roster: the record is done.
    if (open && ((open.kind === "subscribe" && subscriptions.length > 0) || (open.kind === "unsubscribe" && subscriptions.length === 0))) {
      stale.push(open.id);
      open = null;
    }
    // Confirmed by a reply to the core's mail, say: the address is on the roster, the record is done.
    const onList = confirmations.filter((c) => c.listId === list.list_id);
    const confirmed = (c: ConfirmationRow) => subscriptions.some((s) => s.email === c.email);
    staleConfirmations.push(...onList.filter(confirmed).map((c) => c.id));
    const waiting = onList.find((c) => !confirmed(c)) ?? null;
    const state: MyListState =
      open?.kind === "subscribe"
        ? "pending_approval"
        : open?.kind === "unsubscribe"
          ? "pending_unsubscribe"
          : subscriptions.length > 0
            ? "subscribed"
            : waiting
              ? "pending_confirmation"
              : "not_subscribed";
    entries.push({
      targetId: target.id,
      targetName: target.name,
      listId: list.list_id,
      fqdn: list.fqdn_listname,
      displayName: list.display_name ?? list.list_name,
      description: list.description ?? "",
      advertised: Boolean(list.advertised),
      subscriptions,
      roles,
      pending: open ? { id: open.id, kind: open.kind, email: open.email } : null,
      confirmation: waiting ? { id: waiting.id, email: waiting.email, requestedAt: waiting.requestedAt.toISOString() } : null,
      state,
    });
  }
  return { entries, stale, staleConfirmations };
}

export async function openRequestsOf(accountId: string): Promise<PendingRow[]> {
  const db = await getDb();
  return db.select().from(selfServiceRequests).where(eq(selfServiceRequests.accountId, accountId));
}

export async function loadMyLists(viewer: Viewer): Promise<MyListsResult> {
  const targets = await listTargets();
  const [pending, confirmations] = await Promise.all([openRequestsOf(viewer.id), confirmationsOf(viewer.verifiedEmails)]);
  const unreachable: MyListsResult["unreachable"] = [];
  const limit = pLimit(4);
  const stale: number[] = [];
  const staleConfirmations: number[] = [];
  const perTarget = await Promise.all(
    targets.map((target) =>
      limit(async () => {
        try {
          const { client } = await clientForTarget(target.id);
          const [lists, ...memberships] = await Promise.all([client.allLists(), ...viewer.verifiedEmails.map((email) => membershipsOfAddress(client, email))]);
          const mine = <T extends { targetId: number }>(rows: readonly T[]) => rows.filter((r) => r.targetId === target.id);
          const built = buildEntries(target, lists, memberships.flat(), viewer.verifiedEmails, mine(pending), mine(confirmations));
          stale.push(...built.stale);
          staleConfirmations.push(...built.staleConfirmations);
          return built.entries;
        } catch (error) {
          const message = serverProblem(error);
          if (message === null) throw error;
          unreachable.push({ targetId: target.id, targetName: target.name, message });
          return [];
        }
      }),
    ),
  );
  if (stale.length > 0) {
    // Our own bookkeeping only; the core is not written to on a page view.
    const db = await getDb();
    for (const id of stale) await db.delete(selfServiceRequests).where(and(eq(selfServiceRequests.id, id), eq(selfServiceRequests.accountId, viewer.id)));
  }
  await forgetConfirmationsById(staleConfirmations);
  const entries = perTarget.flat().sort((a, b) => a.fqdn.localeCompare(b.fqdn) || a.targetName.localeCompare(b.targetName));
  return { entries, unreachable, verifiedEmails: viewer.verifiedEmails, primaryEmail: viewer.primaryEmail ?? null };
}
