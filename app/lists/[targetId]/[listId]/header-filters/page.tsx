import type { Metadata } from "next";
import { ListHeader } from "@/components/list-header";
import { Alert } from "@/components/ui/alert";
import type { HeaderFilterRow } from "@/lib/header-filters/header-filters";
import { loadListPage, loadListPageData, parseListParams } from "@/lib/lists/list-page";
import { listPageReads } from "@/lib/lists/page-reads";
import { MailmanError, MailmanTransportError } from "@/lib/mailman";
import { HeaderFilterEditor } from "./header-filter-editor";

type Params = Promise<{ targetId: string; listId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { targetId, listId } = parseListParams(await params);
  const { list } = await loadListPage(targetId, listId, "administer", "/header-filters");
  return { title: `Header filters · ${list.display_name || list.fqdn_listname}` };
}

export default async function HeaderFiltersPage({ params }: { params: Params }) {
  const { targetId, listId } = parseListParams(await params);
  const { access, data } = await loadListPageData(targetId, listId, "administer", "/header-filters", listPageReads.headerFilters());
  let rules: HeaderFilterRow[] | null = null;
  let problem: string | null = null;
  try {
    rules = await data;
  } catch (error) {
    if (!(error instanceof MailmanError || error instanceof MailmanTransportError)) throw error;
    problem = error.userMessage;
  }

  return (
    <>
      <ListHeader access={access} current="header-filters" />
      <div className="space-y-6">
        <div className="text-sm text-slate-700">
          <p>
            Each incoming post is checked against these rules in order; the first rule whose header matches its pattern decides what happens to the post.
            Patterns are Python regular expressions, searched for anywhere in the header&apos;s value unless anchored with ^ or $.
          </p>
        </div>
        {problem ? (
          <Alert tone="error" title="The Mailman core could not list the header filters">
            {problem}
          </Alert>
        ) : (
          <HeaderFilterEditor targetId={access.target.id} listId={access.list.list_id} rules={rules ?? []} />
        )}
      </div>
    </>
  );
}
