import type { Metadata } from "next";
import Link from "next/link";
import { ListHeader, listPath } from "@/components/list-header";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/field";
import { cn } from "@/lib/cn";
import { loadListPage, loadListPageData, parseListParams } from "@/lib/lists/list-page";
import { listPageReads } from "@/lib/lists/page-reads";
import { MailmanError, MailmanTransportError, memberRoles, deliveryModes, deliveryStatuses } from "@/lib/mailman";
import { LABELS, label, memberModerationChoices } from "@/lib/members/member-input";
import { isFiltered, parseRosterQuery, rosterSearchParams, type RosterPage, type RosterQuery, type RosterRow } from "@/lib/members/roster";
import { loadRecentJobs, RecentJobs } from "./recent-jobs";
import { AddStaffForm } from "./roster-forms";
import { RosterRows, type RosterRowView } from "./roster-rows";

type Params = Promise<{ targetId: string; listId: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { targetId, listId } = parseListParams(await params);
  const { list } = await loadListPage(targetId, listId, "administer", "/members");
  return { title: `Members · ${list.display_name || list.fqdn_listname}` };
}

function href(basePath: string, query: Partial<RosterQuery>): string {
  const search = rosterSearchParams(query).toString();
  return search ? `${basePath}?${search}` : basePath;
}

const options = (values: readonly string[], labels: Record<string, string>, any: string) => [
  { value: "", label: any },
  ...values.map((value) => ({ value, label: labels[value] ?? value })),
];

/**
 * Rosters of one list (console.md §3.6): the guard plus ONE core call per view, whatever the size
 * (lib/members/roster.ts). Search, filters and pages live in the URL (plain GET forms).
 */
export default async function MembersPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { targetId, listId } = parseListParams(await params);
  // The guard and its core call start before the search parameters are read; the same guard is
  // awaited below (React's cache), where a refusal becomes the 403/404 page.
  loadListPage(targetId, listId, "administer", "/members").catch(() => {});
  const query = parseRosterQuery(await searchParams);
  const { access, data } = await loadListPageData(targetId, listId, "administer", "/members", listPageReads.members(query));
  const basePath = listPath(access.target.id, access.list.list_id, "/members");
  const recentJobs = loadRecentJobs(access.target.id, access.list.list_id);
  recentJobs.catch(() => {});
  const role = query.role;
  const staff = role === "owner" || role === "moderator";
  const exportHref = `${basePath}/export?${rosterSearchParams({ ...query, page: 1, size: undefined }).toString()}`;

  return (
    <>
      <ListHeader access={access} current="members" />
      <div className="mb-4 flex flex-wrap items-center gap-3 text-sm">
        <Link href={`${basePath}/subscribe`} className="rounded-md bg-indigo-600 px-3 py-2 font-semibold text-white hover:bg-indigo-500">
          Mass subscribe
        </Link>
        <Link href={`${basePath}/remove`} className="rounded-md px-3 py-2 font-semibold text-red-700 ring-1 ring-red-200 hover:bg-red-50">
          Remove members
        </Link>
      </div>
      <div className="mb-4">
        <RecentJobs jobs={recentJobs} basePath={basePath} />
      </div>
      <nav aria-label="Rosters" className="mb-4 flex flex-wrap gap-2 text-sm">
        {memberRoles.map((r) => (
          <Link
            key={r}
            href={href(basePath, { role: r })}
            aria-current={r === role ? "page" : undefined}
            className={cn("rounded-full px-3 py-1 font-medium", r === role ? "bg-indigo-600 text-white" : "bg-white text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50")}
          >
            {LABELS.role[r]}
          </Link>
        ))}
      </nav>

      <div className="space-y-4">
        {staff ? <AddStaffForm targetId={access.target.id} listId={access.list.list_id} role={role} /> : null}

        <form method="get" action={basePath} role="search" className="flex flex-wrap items-end gap-3">
          {role !== "member" ? <input type="hidden" name="role" value={role} /> : null}
          <TextField label="Search members" name="q" type="search" defaultValue={query.q} autoComplete="off" placeholder="Address or name" className="min-w-64 grow" />
          {role === "member" ? (
            <>
              <SelectField label="Delivery mode" name="mode" defaultValue={query.mode ?? ""} options={options(deliveryModes, LABELS.deliveryMode, "Any mode")} />
              <SelectField label="Delivery status" name="status" defaultValue={query.status ?? ""} options={options(deliveryStatuses, LABELS.deliveryStatus, "Any status")} />
            </>
          ) : null}
          {role === "member" || role === "nonmember" ? (
            <SelectField label="Moderation" name="moderation" defaultValue={query.moderation ?? ""} options={options(memberModerationChoices, LABELS.moderation, "Any action")} />
          ) : null}
          <Button type="submit" variant="secondary">
            Search
          </Button>
          {isFiltered(query) ? (
            <Link href={href(basePath, { role })} className="px-2 py-2 text-sm text-indigo-700 hover:underline">
              Clear
            </Link>
          ) : null}
          <a href={exportHref} className="ml-auto px-2 py-2 text-sm font-semibold text-indigo-700 hover:underline" download>
            Export CSV
          </a>
        </form>

        <RosterSection roster={data} basePath={basePath} targetId={access.target.id} listId={access.list.list_id} />
      </div>
    </>
  );
}

/**
 * The roster, awaited here rather than in the page: the rest of the page (header, tabs, search
 * form) renders while the core is still answering, and only the table waits for it.
 */
async function RosterSection({ roster: pending, ...props }: { roster: Promise<RosterPage>; basePath: string; targetId: number; listId: string }) {
  let roster: RosterPage;
  try {
    roster = await pending;
  } catch (error) {
    if (!(error instanceof MailmanError || error instanceof MailmanTransportError)) throw error;
    return (
      <Alert tone="error" title="The Mailman core could not list the roster">
        {error.userMessage}
      </Alert>
    );
  }
  return <RosterTable roster={roster} {...props} />;
}

function toView(row: RosterRow): RosterRowView {
  return {
    memberId: row.memberId,
    email: row.email,
    displayName: row.displayName,
    deliveryMode: label(LABELS.deliveryMode, row.deliveryMode),
    deliveryStatus: row.deliveryStatus ? { label: label(LABELS.deliveryStatus, row.deliveryStatus), enabled: row.deliveryStatus === "enabled" } : null,
    moderation: row.moderationAction ? label(LABELS.moderation, row.moderationAction) : null,
    bounceScore: row.bounceScore,
    subscribedAs: row.subscriptionMode === "as_user" ? "Primary address" : "This address",
  };
}

function RosterTable({ roster, basePath, targetId, listId }: { roster: RosterPage; basePath: string; targetId: number; listId: string }) {
  const { query, rows, total, pageCount } = roster;
  const role = query.role;
  const staff = role === "owner" || role === "moderator";
  const noun = LABELS.role[role].toLowerCase();
  if (rows.length === 0) {
    return (
      <EmptyState title={isFiltered(query) ? `No ${noun} match` : total > 0 ? "Nothing on this page" : `No ${noun}`}>
        {isFiltered(query) || total > 0 ? (
          <Link href={href(basePath, { role })} className="text-indigo-700 hover:underline">
            Show all {noun}
          </Link>
        ) : null}
      </EmptyState>
    );
  }
  const first = (query.page - 1) * query.size + 1;
  const last = first + rows.length - 1;
  // Mailman's rosters carry no delivery status: it is known (and shown) only in a view filtered by it.
  const showStatus = rows.some((row) => row.deliveryStatus);
  return (
    <div className="space-y-3">
      <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
        {/* Cell padding is set once here, not on each of the page's 150 cells (issue 13: HTML size). */}
        <table className="min-w-full divide-y divide-slate-200 text-sm [&_td]:px-4 [&_td]:py-2">
          <caption className="px-4 py-2 text-left text-xs text-slate-600">
            {first}–{last} of {total} {noun}
            {isFiltered(query) ? " matching the search" : ""}
          </caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2">Name and address</th>
              {staff ? null : (
                <>
                  <th scope="col" className="px-4 py-2">Delivery</th>
                  {showStatus ? (
                    <th scope="col" className="px-4 py-2">
                      Status
                    </th>
                  ) : null}
                  <th scope="col" className="px-4 py-2">Moderation</th>
                  <th scope="col" className="px-4 py-2 text-right">Bounce score</th>
                  <th scope="col" className="px-4 py-2">Subscribed as</th>
                </>
              )}
              {staff ? (
                <th scope="col" className="px-4 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <RosterRows
            rows={rows.map((row) => toView(row))}
            basePath={basePath}
            showStatus={showStatus}
            staff={staff ? { targetId, listId, role } : null}
          />
        </table>
      </div>
      {pageCount > 1 ? (
        <nav aria-label={`Pages of ${noun}`} className="flex items-center justify-between text-sm">
          {query.page > 1 ? (
            <Link href={href(basePath, { ...query, page: query.page - 1 })} className="text-indigo-700 hover:underline">
              ← Previous page
            </Link>
          ) : (
            <span />
          )}
          <span className="text-slate-600">
            Page {query.page} of {pageCount}
          </span>
          {query.page < pageCount ? (
            <Link href={href(basePath, { ...query, page: query.page + 1 })} className="text-indigo-700 hover:underline">
              Next page →
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
      {!staff && !query.status ? (
        <p className="text-xs text-slate-500">Mailman&apos;s rosters do not include the delivery status: filter by it to see who is disabled, or open a member.</p>
      ) : null}
    </div>
  );
}
