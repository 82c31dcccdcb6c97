import type { Metadata } from "next";
import Link from "next/link";
import { ListHeader, listPath } from "@/components/list-header";
import { Alert } from "@/components/ui/alert";
import { permits } from "@/lib/auth/roles";
import { cn } from "@/lib/cn";
import { loadListPage, loadListPageData, parseListParams } from "@/lib/lists/list-page";
import { listPageReads } from "@/lib/lists/page-reads";
import { MailmanError, MailmanTransportError } from "@/lib/mailman";
import type { RequestsPage } from "@/lib/moderation/requests";
import { parseRequestsQuery, REQUEST_TAB_KEYS, REQUEST_TABS, type RequestTab } from "@/lib/moderation/requests-input";
import { RequestsTable } from "./requests-table";

type Params = Promise<{ targetId: string; listId: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { targetId, listId } = parseListParams(await params);
  const { list } = await loadListPage(targetId, listId, "moderate", "/requests");
  return { title: `Requests · ${list.display_name || list.fqdn_listname}` };
}

const HELP: Record<RequestTab, string> = {
  approval: "People who asked to subscribe to this moderated list. Accept subscribes them; Reject tells them why.",
  confirmation:
    "People who have not yet answered the confirmation e-mail (invitations look the same). Accept confirms on their behalf; if the list also needs approval, the request then moves to “Awaiting approval” with a new token.",
  unsubscriptions: "Members who asked to leave a list whose unsubscription policy needs a moderator.",
};

export default async function RequestsPageView({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { targetId, listId } = parseListParams(await params);
  const { tab, page } = parseRequestsQuery(await searchParams);
  const { access, data } = await loadListPageData(targetId, listId, "moderate", "/requests", listPageReads.requests(tab, page));
  let requests: RequestsPage | null = null;
  let problem: string | null = null;
  try {
    requests = await data;
  } catch (error) {
    if (!(error instanceof MailmanError || error instanceof MailmanTransportError)) throw error;
    problem = error.userMessage;
  }
  const basePath = listPath(access.target.id, access.list.list_id, "/requests");
  const facts = { isSuperuser: access.viewer.isSuperuser, roles: access.roles, advertised: Boolean(access.list.advertised) };

  return (
    <>
      <ListHeader access={access} current="requests" />
      <nav aria-label="Request queues" className="mb-4">
        <ul className="flex flex-wrap gap-2 text-sm">
          {REQUEST_TAB_KEYS.map((key) => (
            <li key={key}>
              <Link
                href={key === "approval" ? basePath : `${basePath}?tab=${key}`}
                aria-current={key === tab ? "page" : undefined}
                className={cn(
                  "inline-flex items-center gap-2 rounded-md px-3 py-1.5 font-medium ring-1 ring-inset",
                  key === tab ? "bg-indigo-600 text-white ring-indigo-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50",
                )}
              >
                {REQUEST_TABS[key].label}
                {requests ? <span className={cn("rounded-full px-1.5 text-xs", key === tab ? "bg-indigo-500" : "bg-slate-100")}>{requests.counts[key]}</span> : null}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <section aria-labelledby="requests-heading" className="space-y-3">
        <h2 id="requests-heading" className="text-base font-semibold text-slate-900">
          {REQUEST_TABS[tab].label}
        </h2>
        <p className="text-sm text-slate-600">{HELP[tab]}</p>
        {problem ? (
          <Alert tone="error" title="The Mailman core could not list the requests">
            {problem}
          </Alert>
        ) : requests ? (
          <RequestsTable
            key={tab}
            targetId={access.target.id}
            listId={access.list.list_id}
            basePath={tab === "approval" ? basePath : `${basePath}?tab=${tab}`}
            requests={requests}
            canBan={permits(facts, "administer")}
          />
        ) : null}
      </section>
    </>
  );
}
