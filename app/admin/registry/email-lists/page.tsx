import type { Metadata } from "next";
import Link from "next/link";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Pager } from "@/components/ui/pager";
import { requireSuperuser } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { listTargetViews } from "@/lib/provisioning/targets-api";
import { listEmailLists, listGroups } from "@/lib/registry/registry";
import { pageParam, RegistryNav, tableClass, tableWrap, theadClass } from "../registry-nav";
import { EmailListForm } from "./list-forms";

export const metadata: Metadata = { title: "Registry email lists" };
const PER_PAGE = 50;

export default async function EmailListsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const page = pageParam((await searchParams).page);
  const data = await guardPage(async () => {
    await requireSuperuser();
    const [lists, groups, targets] = await Promise.all([listEmailLists(page, PER_PAGE), listGroups(1, 500), listTargetViews()]);
    return { lists, groups: groups.items, targets };
  }, "/admin/registry/email-lists");
  const groupName = (id: number | null) => (id === null ? null : (data.groups.find((g) => g.id === id)?.name ?? `group ${id}`));
  const targetName = (id: number) => data.targets.find((t) => t.id === id)?.name ?? `server ${id}`;
  return (
    <div>
      <PageHeader title="Email lists" description="Lists Listkeeper provisions into Mailman, with the groups that decide their members, owners and moderators." />
      <RegistryNav current="/admin/registry/email-lists" />
      <div className="space-y-6">
        {data.lists.items.length === 0 ? (
          <EmptyState title={page > 1 ? "No email lists on this page" : "No email lists yet"}>Create one below.</EmptyState>
        ) : (
          <div className={tableWrap}>
            <table className={tableClass}>
              <thead className={theadClass}>
                <tr>
                  <th scope="col" className="px-4 py-3">Name</th>
                  <th scope="col" className="px-4 py-3">Server</th>
                  <th scope="col" className="px-4 py-3">Status</th>
                  <th scope="col" className="px-4 py-3">Mode</th>
                  <th scope="col" className="px-4 py-3">Groups</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {data.lists.items.map((l) => (
                  <tr key={l.id}>
                    <td className="px-4 py-3 font-medium">
                      <Link href={`/admin/registry/email-lists/${l.id}`} className="text-indigo-700 hover:underline">{l.name}</Link>
                      <span className="block text-xs text-slate-500">{l.mailmanListId ?? "not provisioned yet"}</span>
                    </td>
                    <td className="px-4 py-3">{targetName(l.targetId)}</td>
                    <td className="px-4 py-3"><Badge tone={l.status === "active" ? "emerald" : "amber"}>{l.status}</Badge></td>
                    <td className="px-4 py-3">{l.membershipMode}</td>
                    <td className="px-4 py-3 text-xs">
                      {[["members", l.membersGroupId], ["owners", l.adminsGroupId], ["moderators", l.moderatorsGroupId], ["eligible", l.eligibilityGroupId]]
                        .filter(([, g]) => g !== null)
                        .map(([role, g]) => `${role}: ${groupName(g as number)}`)
                        .join(" · ") || "none"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager label="Email list pages" page={page} pageCount={Math.ceil(data.lists.total / PER_PAGE)} hrefFor={(p) => `/admin/registry/email-lists?page=${p}`} />
        <Card title="New email list" description="Nothing reaches Mailman before you have seen the plan and chosen to create the list.">
          {data.targets.length === 0 ? (
            <EmptyState title="No Mailman server yet"><Link href="/admin/targets/new" className="text-indigo-700 hover:underline">Register a server</Link> first.</EmptyState>
          ) : (
            <EmailListForm targets={data.targets.map((t) => ({ id: t.id, name: t.name }))} groups={data.groups.map((g) => ({ id: g.id, name: g.name }))} />
          )}
        </Card>
      </div>
    </div>
  );
}
