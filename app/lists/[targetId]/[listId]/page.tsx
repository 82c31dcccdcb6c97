import type { Metadata } from "next";
import { ListHeader } from "@/components/list-header";
import { SafeMarkdown } from "@/components/safe-markdown";
import { Card } from "@/components/ui/card";
import { loadListSummary } from "@/lib/lists/list-summary";
import type { ListAccess } from "@/lib/auth/list-access";
import { loadListPage, parseListParams } from "@/lib/lists/list-page";
import { permits, type ListAccessFacts } from "@/lib/auth/roles";
import { DeleteList } from "./delete-list";

type Params = Promise<{ targetId: string; listId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { targetId, listId } = parseListParams(await params);
  const { list } = await loadListPage(targetId, listId, "view");
  return { title: list.display_name || list.fqdn_listname };
}

/**
 * Membership only changes what this page says, so it is looked up here, and only for viewers
 * the guard found no role for on an advertised list (for an unadvertised one the guard already
 * looked): one small `members/find` per verified address.
 */
async function isMember(access: ListAccess): Promise<boolean> {
  const { viewer, client, list } = access;
  if (viewer.isSuperuser || access.roles.size > 0 || viewer.verifiedEmails.length === 0) return access.roles.has("member");
  try {
    const found = await Promise.all(
      viewer.verifiedEmails.map((email) => client.findMembers({ listId: list.list_id, subscriber: email, role: "member" }, { count: 1, page: 1 }, ["email"])),
    );
    return found.some((page) => page.total > 0);
  } catch {
    return false;
  }
}

export default async function ListPage({ params }: { params: Params }) {
  const { targetId, listId } = parseListParams(await params);
  const access = await loadListPage(targetId, listId, "view");
  const { viewer, target, list } = access;
  const facts: ListAccessFacts = { isSuperuser: viewer.isSuperuser, roles: access.roles, advertised: Boolean(list.advertised) };
  const roles = new Set(access.roles);
  const memberCount = list.member_count ?? 0;

  // Both are independent reads of the core: made in parallel.
  const [member, summary] = await Promise.all([isMember(access), loadListSummary(access)]);
  if (member) roles.add("member");
  const when = (d: Date | null) => (d ? <time dateTime={d.toISOString()}>{d.toISOString().slice(0, 16).replace("T", " ")} UTC</time> : "never");

  return (
    <>
      <ListHeader access={access} current="overview" extraRoles={roles} />

      <div className="space-y-6">
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
              <dd className="mt-1 font-mono text-slate-900">{summary.postingAddress}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Contact the owners</dt>
              <dd className="mt-1 font-mono text-slate-900">{summary.ownerAddress || "—"}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Created</dt>
              <dd className="mt-1 text-slate-900">{when(summary.createdAt)}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Last post</dt>
              <dd className="mt-1 text-slate-900" data-testid="last-post">
                {when(summary.lastPostAt)}
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

        {permits(facts, "administer") ? (
          <DeleteList targetId={target.id} listId={list.list_id} postingAddress={list.fqdn_listname} memberCount={memberCount} />
        ) : null}
      </div>
    </>
  );
}
