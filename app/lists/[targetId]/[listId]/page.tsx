import type { Metadata } from "next";
import Link from "next/link";
import { ListHeader, listPath } from "@/components/list-header";
import { Alert } from "@/components/ui/alert";
import { SafeMarkdown } from "@/components/safe-markdown";
import { Card } from "@/components/ui/card";
import { openDisablement } from "@/lib/lists/disable";
import { MODE_LABEL } from "@/lib/lists/disable-plan";
import { loadListPage, loadListPageData, parseListParams } from "@/lib/lists/list-page";
import { listPageReads } from "@/lib/lists/page-reads";
import { permits, type ListAccessFacts } from "@/lib/auth/roles";
import { DeleteList } from "./delete-list";
import { DateTime } from "@/components/ui/date-time";

type Params = Promise<{ targetId: string; listId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { targetId, listId } = parseListParams(await params);
  const { list } = await loadListPage(targetId, listId, "view");
  return { title: list.display_name || list.fqdn_listname };
}

export default async function ListPage({ params, searchParams }: { params: Params; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { targetId, listId } = parseListParams(await params);
  // The disablement is read with the page's core read, while the guard's answer is awaited (it
  // was the one database round trip left after the core had answered).
  const summaryRead = listPageReads.summary();
  const { access, data } = await loadListPageData(targetId, listId, "view", "", (ref) => Promise.all([summaryRead(ref), openDisablement(targetId, ref.list.list_id)]));
  const { viewer, target, list } = access;
  const facts: ListAccessFacts = { isSuperuser: viewer.isSuperuser, roles: access.roles, advertised: Boolean(list.advertised) };
  const memberCount = list.member_count ?? 0;
  const [summary, disablement] = await data;

  return (
    <>
      <ListHeader access={access} current="overview" />

      <div className="space-y-6">
        {(await searchParams).created === "1" ? (
          <Alert tone="success" title="List created" data-testid="list-notice">
            {summary.postingAddress} is ready. Add members, owners and moderators from the tabs above.
          </Alert>
        ) : null}
        {disablement ? (
          <Alert tone="warning" title={`${MODE_LABEL[disablement.mode]} list${disablement.state === "disabled" ? "" : " (not finished)"}`}>
            Posts are discarded and nobody can join. {permits(facts, "administer") ? (
              <Link href={listPath(target.id, list.list_id, "/disable")} className="font-medium underline">
                Re-enable it
              </Link>
            ) : null}
          </Alert>
        ) : null}
        <Card title="About this list">
          {list.description ? <p className="text-sm text-slate-800">{list.description}</p> : <p className="text-sm text-slate-500">No description.</p>}
          {summary.info ? (
            <div className="mt-4 border-t border-slate-100 pt-4" data-testid="list-info">
              <SafeMarkdown text={summary.info} />
            </div>
          ) : null}
          <dl className="mt-4 grid grid-cols-1 gap-3 text-sm sm:grid-cols-2">
            <div>
              <dt className="text-slate-500">Post to the list</dt>
              <dd className="mt-1 font-mono text-slate-900">{summary.postingAddress || list.fqdn_listname}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Contact the owners</dt>
              <dd className="mt-1 font-mono text-slate-900">{summary.ownerAddress || "—"}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Created</dt>
              <dd className="mt-1 text-slate-900"><DateTime value={summary.createdAt} fallback="never" /></dd>
            </div>
            <div>
              <dt className="text-slate-500">Last post</dt>
              <dd className="mt-1 text-slate-900" data-testid="last-post">
                <DateTime value={summary.lastPostAt} fallback="never" />
              </dd>
            </div>
          </dl>
          <dl className="mt-4 grid grid-cols-2 gap-4 text-sm sm:grid-cols-4">
            <div>
              <dt className="text-slate-500">Members</dt>
              <dd className="mt-1 text-lg font-semibold tabular-nums text-slate-900">{memberCount}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Volume</dt>
              <dd className="mt-1 text-lg font-semibold tabular-nums text-slate-900">{list.volume ?? "—"}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Server</dt>
              <dd className="mt-1 text-slate-900">{target.name}</dd>
            </div>
            <div>
              <dt className="text-slate-500">List ID</dt>
              <dd className="mt-1 break-all font-mono text-xs text-slate-900">{list.list_id}</dd>
            </div>
          </dl>
        </Card>

        {permits(facts, "administer") && !disablement ? (
          <Card title="Disable or archive" description="Stop the list in one step, reversibly: no posts, nobody joins, owners replaced by the site's address.">
            <Link href={listPath(target.id, list.list_id, "/disable")} className="text-sm font-medium text-indigo-700 hover:underline">
              Disable or archive this list…
            </Link>
          </Card>
        ) : null}

        {permits(facts, "administer") ? (
          <DeleteList targetId={target.id} listId={list.list_id} postingAddress={list.fqdn_listname} memberCount={memberCount} />
        ) : null}
      </div>
    </>
  );
}
