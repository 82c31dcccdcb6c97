import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";
import { requireViewer } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { NotFoundError } from "@/lib/errors";
import { loadMemberRoster, ROSTER_ADDRESS_LIMIT } from "@/lib/self-service/member-roster";

export const metadata: Metadata = { title: "Members" };

export default async function MemberRosterPage({ params }: { params: Promise<{ targetId: string; listId: string }> }) {
  const { targetId, listId: rawList } = await params;
  const listId = decodeURIComponent(rawList);
  const roster = await guardPage(async () => {
    const viewer = await requireViewer();
    if (!/^\d{1,9}$/.test(targetId)) throw new NotFoundError("No such list.");
    return loadMemberRoster(viewer, Number(targetId), listId);
  }, `/me/roster/${targetId}/${rawList}`);
  return (
    <div className="space-y-6">
      <PageHeader
        title={`Members of ${roster.listId}`}
        description={
          <>
            {roster.entries.length} members. Addresses show only for members who let them show. <Link href="/me" className="text-indigo-700">Back to My lists</Link>
          </>
        }
      />
      <Card>
        {!roster.addressesChecked ? <p className="mb-3 text-sm text-slate-600">This list has more than {ROSTER_ADDRESS_LIMIT} members: only names are shown.</p> : null}
        <ul className="divide-y divide-slate-100 text-sm" data-testid="member-roster">
          {roster.entries.map((e, i) => (
            <li key={i} className="py-2">
              {e.displayName}
              {e.email ? <span className="ml-2 text-slate-500">{e.email}</span> : null}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
