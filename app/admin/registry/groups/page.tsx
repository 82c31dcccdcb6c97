import type { Metadata } from "next";
import Link from "next/link";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Pager } from "@/components/ui/pager";
import { requireSuperuser } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { listGroups } from "@/lib/registry/registry";
import { pageParam, RegistryNav, tableClass, tableWrap, theadClass } from "../registry-nav";
import { CreateGroupForm } from "./group-forms";

export const metadata: Metadata = { title: "Registry groups" };
const PER_PAGE = 50;

export default async function GroupsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const page = pageParam((await searchParams).page);
  const { items, total } = await guardPage(async () => {
    await requireSuperuser();
    return listGroups(page, PER_PAGE);
  }, "/admin/registry/groups");
  return (
    <div>
      <PageHeader title="Groups" description="Groups bind people to email lists as members, owners or moderators. Suspending a group removes its people from every list bound to it." />
      <RegistryNav current="/admin/registry/groups" />
      <div className="space-y-6">
        {items.length === 0 ? (
          <EmptyState title={page > 1 ? "No groups on this page" : "No groups yet"}>Create the first one below.</EmptyState>
        ) : (
          <div className={tableWrap}>
            <table className={tableClass}>
              <thead className={theadClass}>
                <tr>
                  <th scope="col" className="px-4 py-3">Name</th>
                  <th scope="col" className="px-4 py-3">Description</th>
                  <th scope="col" className="px-4 py-3">Status</th>
                  <th scope="col" className="px-4 py-3">External id</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {items.map((g) => (
                  <tr key={g.id}>
                    <td className="px-4 py-3 font-medium">
                      <Link href={`/admin/registry/groups/${g.id}`} className="text-indigo-700 hover:underline">{g.name}</Link>
                    </td>
                    <td className="px-4 py-3">{g.description}</td>
                    <td className="px-4 py-3"><Badge tone={g.status === "active" ? "emerald" : "amber"}>{g.status}</Badge></td>
                    <td className="px-4 py-3">{g.externalId ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager label="Groups pages" page={page} pageCount={Math.ceil(total / PER_PAGE)} hrefFor={(p) => `/admin/registry/groups?page=${p}`} />
        <Card title="New group">
          <CreateGroupForm />
        </Card>
      </div>
    </div>
  );
}
