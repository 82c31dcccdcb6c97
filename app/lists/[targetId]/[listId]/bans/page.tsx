import type { Metadata } from "next";
import { ListHeader, listPath } from "@/components/list-header";
import { Alert } from "@/components/ui/alert";
import { parseBanQuery } from "@/lib/bans/ban-input";
import type { BanPage } from "@/lib/bans/bans";
import { loadListPage, loadListPageData, parseListParams } from "@/lib/lists/list-page";
import { listPageReads } from "@/lib/lists/page-reads";
import { MailmanError, MailmanTransportError } from "@/lib/mailman";
import { AddBanForm, BanSearch, BanTable } from "./ban-forms";

type Params = Promise<{ targetId: string; listId: string }>;
type SearchParams = Promise<{ page?: string | string[]; q?: string | string[] }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { targetId, listId } = parseListParams(await params);
  const { list } = await loadListPage(targetId, listId, "administer", "/bans");
  return { title: `Bans · ${list.display_name || list.fqdn_listname}` };
}

export default async function ListBansPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { targetId, listId } = parseListParams(await params);
  const query = parseBanQuery(await searchParams);
  const { access, data } = await loadListPageData(targetId, listId, "administer", "/bans", listPageReads.bans(query));
  let bans: BanPage | null = null;
  let problem: string | null = null;
  try {
    bans = await data;
  } catch (error) {
    if (!(error instanceof MailmanError || error instanceof MailmanTransportError)) throw error;
    problem = error.userMessage;
  }
  const basePath = listPath(access.target.id, access.list.list_id, "/bans");
  const scope = { kind: "list", targetId: access.target.id, listId: access.list.list_id } as const;

  return (
    <>
      <ListHeader access={access} current="bans" />
      <div className="space-y-6">
        <AddBanForm scope={scope} />
        <section aria-labelledby="bans-heading" className="space-y-3">
          <h2 id="bans-heading" className="text-base font-semibold text-slate-900">
            Banned from this list
          </h2>
          <p className="text-sm text-slate-600">Site-wide bans, set by a superuser, also apply to this list and are not shown here.</p>
          <BanSearch basePath={basePath} query={query.q} />
          {problem ? (
            <Alert tone="error" title="The Mailman core could not list the bans">
              {problem}
            </Alert>
          ) : bans ? (
            <BanTable scope={scope} bans={bans} basePath={basePath} />
          ) : null}
        </section>
      </div>
    </>
  );
}
