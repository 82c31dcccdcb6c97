import type { Metadata } from "next";
import Link from "next/link";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { requireSuperuser } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { NotFoundError } from "@/lib/errors";
import { listTargetViews } from "@/lib/provisioning/targets-api";
import { getEmailList, listGroups } from "@/lib/registry/registry";
import { RegistryNav } from "../../registry-nav";
import { DeleteListControl, EmailListForm, ProvisionListControl, type EmailListValues } from "../list-forms";
import { queryId } from "@/lib/validation/ids";

export const metadata: Metadata = { title: "Email list" };
const idParam = queryId;

export default async function EmailListPage({ params }: { params: Promise<{ emailListId: string }> }) {
  const { emailListId } = await params;
  const data = await guardPage(async () => {
    await requireSuperuser();
    const id = idParam.safeParse(emailListId);
    if (!id.success) throw new NotFoundError("No such email list.");
    const [list, groups, targets] = await Promise.all([getEmailList(id.data), listGroups(1, 500), listTargetViews()]);
    return { list, groups: groups.items, target: targets.find((t) => t.id === list.targetId) ?? null };
  }, `/admin/registry/email-lists/${emailListId}`);
  const { list } = data;
  const groupName = (id: number | null) => (id === null ? "none" : (data.groups.find((g) => g.id === id)?.name ?? `group ${id}`));
  const initial: EmailListValues = {
    targetId: list.targetId,
    name: list.name,
    description: list.description,
    status: list.status as EmailListValues["status"],
    membershipMode: list.membershipMode as EmailListValues["membershipMode"],
    membersGroupId: list.membersGroupId,
    adminsGroupId: list.adminsGroupId,
    moderatorsGroupId: list.moderatorsGroupId,
    eligibilityGroupId: list.eligibilityGroupId,
  };
  return (
    <div>
      <PageHeader title={list.name} description={list.description || "A provisioned email list."} actions={<Badge tone={list.status === "active" ? "emerald" : "amber"}>{list.status}</Badge>} />
      <RegistryNav current="/admin/registry/email-lists" />
      <div className="space-y-6">
        <Card title="In Mailman">
          <dl className="grid gap-2 text-sm sm:grid-cols-2">
            <div><dt className="font-medium">Server</dt><dd>{data.target ? `${data.target.name} (${data.target.domain}, mode ${data.target.mode})` : list.targetId}</dd></div>
            <div>
              <dt className="font-medium">Mailman list</dt>
              <dd>
                {list.mailmanListId ? (
                  <Link className="text-indigo-700 hover:underline" href={`/lists/${list.targetId}/${encodeURIComponent(list.mailmanListId)}/members`} data-testid="roster-link">
                    {list.mailmanListId} (members)
                  </Link>
                ) : (
                  "not provisioned yet"
                )}
              </dd>
            </div>
            <div><dt className="font-medium">Membership mode</dt><dd>{list.membershipMode}</dd></div>
            <div><dt className="font-medium">Members</dt><dd>{list.membershipMode === "self_service" ? "people who chose to subscribe" : groupName(list.membersGroupId)}</dd></div>
            <div><dt className="font-medium">Owners</dt><dd>{groupName(list.adminsGroupId)}</dd></div>
            <div><dt className="font-medium">Moderators</dt><dd>{groupName(list.moderatorsGroupId)}</dd></div>
            <div><dt className="font-medium">Eligibility</dt><dd>{groupName(list.eligibilityGroupId)}</dd></div>
          </dl>
        </Card>
        <Card title="Edit" description="Saving shows the plan first: which addresses Mailman would gain or lose, and why.">
          <EmailListForm targets={[]} groups={data.groups.map((g) => ({ id: g.id, name: g.name }))} emailListId={list.id} initial={initial} provisioned={Boolean(list.mailmanListId)} />
        </Card>
        <Card title="Manual provision" description="Create or adopt the Mailman list and bring its governed rosters in line with the registry.">
          <ProvisionListControl emailListId={list.id} />
        </Card>
        <Card title="Delete" description="Deletes the Mailman list with all its members and settings.">
          <DeleteListControl emailListId={list.id} name={list.name} />
        </Card>
      </div>
    </div>
  );
}
