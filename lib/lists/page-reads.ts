import type { ListRef } from "@/lib/auth/list-access";
import { parseBanQuery } from "@/lib/bans/ban-input";
import { loadBans } from "@/lib/bans/bans";
import { loadHeaderFilters } from "@/lib/header-filters/header-filters";
import { loadListSummary } from "@/lib/lists/list-summary";
import { loadRoster, parseRosterQuery, type RosterQuery } from "@/lib/members/roster";
import { loadHeldPage } from "@/lib/moderation/held";
import { parseHeldPageQuery } from "@/lib/moderation/held-input";
import { loadRequestsPage } from "@/lib/moderation/requests";
import { parseRequestsQuery, type RequestTab } from "@/lib/moderation/requests-input";
import { isSectionSlug, type SectionSlug } from "@/lib/settings/catalogue";
import { loadSettingsSection } from "@/lib/settings/settings";

/**
 * The core read of each list page, in one place for the page and for the proxy, which starts its
 * first GETs as the request arrives (lib/lists/early-reads.ts): both build the read from the same
 * URL with the same function, so the page asks for exactly what was sent ahead.
 */
export type ListPageRead<T> = (ref: ListRef) => Promise<T>;
export type PageSearch = Record<string, string | string[] | undefined>;

export const listPageReads = {
  summary: (): ListPageRead<Awaited<ReturnType<typeof loadListSummary>>> => loadListSummary,
  members: (query: RosterQuery): ListPageRead<Awaited<ReturnType<typeof loadRoster>>> => (ref) => loadRoster(ref.client, ref.list.list_id, query),
  held: (page: number): ListPageRead<Awaited<ReturnType<typeof loadHeldPage>>> => (ref) => loadHeldPage(ref.client, ref.list.list_id, page),
  requests: (tab: RequestTab, page: number): ListPageRead<Awaited<ReturnType<typeof loadRequestsPage>>> => (ref) => loadRequestsPage(ref.client, ref.list.list_id, tab, page),
  bans: (query: { page: number; q: string }): ListPageRead<Awaited<ReturnType<typeof loadBans>>> => (ref) => loadBans(ref.client, { listId: ref.list.list_id }, query),
  headerFilters: (): ListPageRead<Awaited<ReturnType<typeof loadHeaderFilters>>> => loadHeaderFilters,
  settings: (section: SectionSlug): ListPageRead<Awaited<ReturnType<typeof loadSettingsSection>>> => (ref) => loadSettingsSection(ref, section),
};

/**
 * The read of the list page at `/lists/{target}/{list}{sub}` with these search parameters, as the
 * page itself will build it; null for pages without one (or a URL the page will refuse).
 */
export function listPageReadFor(sub: string, search: PageSearch): ListPageRead<unknown> | null {
  switch (sub) {
    case "":
      return listPageReads.summary();
    case "/members":
      return listPageReads.members(parseRosterQuery(search));
    case "/held":
      return listPageReads.held(parseHeldPageQuery(search).page);
    case "/requests": {
      const { tab, page } = parseRequestsQuery(search);
      return listPageReads.requests(tab, page);
    }
    case "/bans":
      return listPageReads.bans(parseBanQuery(search));
    case "/header-filters":
      return listPageReads.headerFilters();
  }
  const section = /^\/settings\/([^/]+)$/.exec(sub)?.[1];
  if (section !== undefined && isSectionSlug(section)) return listPageReads.settings(section);
  return null;
}
