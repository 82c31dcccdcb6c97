import type { Metadata } from "next";
import Link from "next/link";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { Pager } from "@/components/ui/pager";
import { requireSuperuser } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { NotFoundError } from "@/lib/errors";
import { getGroup, groupMembersPage, listsBindingGroup } from "@/lib/registry/registry";
import { pageParam, RegistryNav, tableClass, tableWrap, theadClass } from "../../registry-nav";
import { AddMembersForm, DeleteGroupControl, EditGroupForm, GroupStatusControl, MembershipEditor, RemoveMemberButton } from "../group-forms";
import { queryId } from "@/lib/validation/ids";

export const metadata: Metadata = { title: "Group" };
const PER_PAGE = 50;
const idParam = queryId;

export default async function GroupPage({ params, searchParams }: { params: Promise<{ groupId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { groupId } = await params;
  const page = pageParam((await searchParams).page);
  const { group, members, lists } = await guardPage(async () => {
    await requireSuperuser();
    const id = idParam.safeParse(groupId);
    if (!id.success) throw new NotFoundError("No such group.");
    const group = await getGroup(id.data);
    return { group, members: await groupMembersPage(id.data, page, PER_PAGE), lists: await listsBindingGroup(id.data) };
  }, `/admin/registry/groups/${groupId}`);
  return (
    <div>
      <PageHeader title={group.name} description={group.description || "A registry group."} actions={<Badge tone={group.status === "active" ? "emerald" : "amber"}>{group.status}</Badge>} />
      <RegistryNav current="/admin/registry/groups" />
      <div className="space-y-6">
        <Card title={`Members (${members.total})`}>
          {members.items.length === 0 ? (
            <EmptyState title={page > 1 ? "No members on this page" : "No members yet"}>Add people by address below.</EmptyState>
          ) : (
            <div className={tableWrap}>
              <table className={tableClass}>
                <thead className={theadClass}>
                  <tr>
                    <th scope="col" className="px-3 py-2">Person</th>
                    <th scope="col" className="px-3 py-2">Addresses</th>
                    <th scope="col" className="px-3 py-2">Member</th>
                    <th scope="col" className="px-3 py-2">Owner</th>
                    <th scope="col" className="px-3 py-2">Valid</th>
                    <th scope="col" className="px-3 py-2"><span className="sr-only">Actions</span></th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100" data-testid="group-members">
                  {members.items.map((m) => (
                    <tr key={m.personId}>
                      <td className="px-3 py-2">
                        <Link href={`/admin/registry/people/${m.personId}`} className="text-indigo-700 hover:underline">{m.name || `Person ${m.personId}`}</Link>
                        {m.status !== "active" ? <span className="ml-1"><Badge tone="amber">{m.status}</Badge></span> : null}
                      </td>
                      <td className="px-3 py-2 break-all">{m.emails.join(", ")}</td>
                      <td className="px-3 py-2">{m.member ? "yes" : "no"}</td>
                      <td className="px-3 py-2">{m.owner ? "yes" : "no"}</td>
                      <td className="px-3 py-2">
                        {m.validFrom ? <>from <DateTime value={m.validFrom} /> </> : null}
                        {m.validThrough ? <>through <DateTime value={m.validThrough} /></> : null}
                        {!m.validFrom && !m.validThrough ? "always" : null}
                      </td>
                      <td className="px-3 py-2 space-y-1">
                        <MembershipEditor groupId={group.id} personId={m.personId} membership={{ member: m.member, owner: m.owner, validFrom: m.validFrom?.toISOString() ?? null, validThrough: m.validThrough?.toISOString() ?? null }} />
                        <RemoveMemberButton groupId={group.id} personId={m.personId} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="mt-3">
            <Pager label="Member pages" page={page} pageCount={Math.ceil(members.total / PER_PAGE)} hrefFor={(p) => `/admin/registry/groups/${group.id}?page=${p}`} />
          </div>
        </Card>
        <Card title={`Bound to ${lists.length} email list${lists.length === 1 ? "" : "s"}`}>
          {lists.length === 0 ? (
            <p className="text-sm text-slate-700">No email list binds this group yet: its members reach no list.</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {lists.map((l) => (
                <li key={l.id}>
                  <Link href={`/admin/registry/email-lists/${l.id}`} className="text-indigo-700 hover:underline">{l.name}</Link> ({l.roles.join(", ")})
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Add members" description="Paste addresses or load a CSV file. Each added person is provisioned to the lists bound to this group.">
          <AddMembersForm groupId={group.id} />
        </Card>
        <Card title={group.status === "active" ? "Suspend" : "Activate"} description={group.status === "active" ? "A suspended group counts as empty: its people leave every list bound to it." : "Its people come back to every list bound to it."}>
          <GroupStatusControl groupId={group.id} status={group.status} />
        </Card>
        <Card title="Edit">
          <EditGroupForm group={group} />
        </Card>
        <Card title="Delete" description="Bound lists lose this group's people in that role; rebind them afterwards.">
          <DeleteGroupControl groupId={group.id} name={group.name} />
        </Card>
      </div>
    </div>
  );
}
