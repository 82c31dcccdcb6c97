import pLimit from "p-limit";
import type { ListRole } from "@/lib/auth/roles";
import type { Viewer } from "@/lib/auth/users";
import { MailmanError, MailmanTransportError, type MailingList } from "@/lib/mailman";
import { clientForTarget, listTargets, StoredCredentialsError } from "@/lib/targets/targets";
import { openDisablementsOf } from "./disable";

export interface ListIndexEntry {
  targetId: number;
  targetName: string;
  listId: string;
  fqdn: string;
  displayName: string;
  description: string;
  memberCount: number;
  advertised: boolean;
  /** Roles found through the viewer's own addresses (empty for superusers, who see all). */
  mine: boolean;
  /** Disabled or archived through Listkeeper (lib/lists/disable.ts), also while half-done. */
  disabled?: "disabled" | "archived" | null;
}

export const LIST_STATUS_FILTERS = ["all", "active", "disabled"] as const;
export type ListStatusFilter = (typeof LIST_STATUS_FILTERS)[number];

export interface ListIndexQuery {
  q?: string;
  page: number;
  pageSize: number;
  targetId?: number;
  /** "disabled": disabled and archived lists only; "active": the others. */
  status?: ListStatusFilter;
}

export interface ListIndexResult {
  entries: ListIndexEntry[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  unreachable: { targetId: number; targetName: string; message: string }[];
}

function toEntry(targetId: number, targetName: string, list: MailingList, mine: boolean): ListIndexEntry {
  return {
    targetId,
    targetName,
    listId: list.list_id,
    fqdn: list.fqdn_listname,
    displayName: list.display_name ?? list.list_name,
    description: list.description ?? "",
    memberCount: list.member_count ?? 0,
    advertised: Boolean(list.advertised),
    mine,
    disabled: null,
  };
}

export function matchesQuery(entry: ListIndexEntry, q: string): boolean {
  const needle = q.trim().toLowerCase();
  if (!needle) return true;
  return [entry.fqdn, entry.displayName, entry.description, entry.listId].some((v) => v.toLowerCase().includes(needle));
}

const LISTED_ROLES = ["owner", "moderator", "member"] as const;

/**
 * Lists a viewer may see, across every target: superusers see all; others see advertised lists
 * and the lists where one of their verified addresses is an owner, moderator or member. The core
 * cannot search lists, so each target's lists are read in pages of 1,000 (one call for most
 * servers) and filtered and paged here, on the server.
 */
export async function loadListIndex(viewer: Viewer, query: ListIndexQuery): Promise<ListIndexResult> {
  const targets = (await listTargets()).filter((t) => query.targetId === undefined || t.id === query.targetId);
  const unreachable: ListIndexResult["unreachable"] = [];
  const limit = pLimit(4);
  const perTarget = await Promise.all(
    targets.map((summary) =>
      limit(async () => {
        try {
          const { client } = await clientForTarget(summary.id);
          if (viewer.isSuperuser) {
            return (await client.allLists()).map((l) => toEntry(summary.id, summary.name, l, false));
          }
          const [advertised, ...own] = await Promise.all([
            client.allLists({ advertised: true }),
            // One lookup per role, not one for all: without a role the core also answers with
            // `nonmember` records, which it makes for anyone who ever wrote to a list; such a list
            // is not theirs and, when unadvertised, the list page would refuse them.
            ...viewer.verifiedEmails.flatMap((email) => LISTED_ROLES.map((role) => client.findLists(email, role))),
          ]);
          const mineIds = new Set(own.flat().map((l) => l.list_id));
          const byId = new Map<string, ListIndexEntry>();
          for (const list of [...(advertised ?? []), ...own.flat()]) {
            if (!byId.has(list.list_id)) byId.set(list.list_id, toEntry(summary.id, summary.name, list, mineIds.has(list.list_id)));
          }
          return [...byId.values()];
        } catch (error) {
          if (error instanceof MailmanError || error instanceof MailmanTransportError) {
            unreachable.push({ targetId: summary.id, targetName: summary.name, message: error.userMessage });
            return [];
          }
          if (error instanceof StoredCredentialsError) {
            unreachable.push({ targetId: summary.id, targetName: summary.name, message: error.message });
            return [];
          }
          throw error;
        }
      }),
    ),
  );
  unreachable.sort((a, b) => a.targetName.localeCompare(b.targetName));
  // One query marks the lists disabled through Listkeeper; the filter applies before paging.
  const disabled = await openDisablementsOf(targets.map((t) => t.id));
  const modes = new Map([...disabled].map(([key, record]) => [key, record.mode]));
  return { ...mergeAndPage(withStatus(perTarget.flat(), modes, query.status ?? "all"), query), unreachable };
}

/** Marks disabled lists (`modes` keyed `targetId:listId`) and keeps those the status filter asks for. */
export function withStatus(entries: readonly ListIndexEntry[], modes: ReadonlyMap<string, "disabled" | "archived">, status: ListStatusFilter): ListIndexEntry[] {
  const marked = entries.map((e) => ({ ...e, disabled: modes.get(`${e.targetId}:${e.listId}`) ?? null }));
  return status === "all" ? marked : marked.filter((e) => (status === "disabled") === (e.disabled !== null));
}

/**
 * Filters the entries of all targets by `q`, orders them by address (then server) and cuts out
 * one page. A page number past the end shows the last page, so a stale link never shows nothing.
 */
export function mergeAndPage(entries: readonly ListIndexEntry[], query: ListIndexQuery): Omit<ListIndexResult, "unreachable"> {
  const pageSize = Math.max(1, Math.floor(query.pageSize));
  const all = entries.filter((e) => matchesQuery(e, query.q ?? ""));
  all.sort((a, b) => a.fqdn.localeCompare(b.fqdn) || a.targetName.localeCompare(b.targetName) || a.targetId - b.targetId);
  const pageCount = Math.max(1, Math.ceil(all.length / pageSize));
  const page = Math.min(Math.max(1, Math.floor(query.page) || 1), pageCount);
  const start = (page - 1) * pageSize;
  return { entries: all.slice(start, start + pageSize), total: all.length, page, pageSize, pageCount };
}

export type { ListRole };
