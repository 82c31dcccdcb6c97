import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";
import { Pager } from "@/components/ui/pager";
import { requireViewer } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { NotFoundError } from "@/lib/errors";
import { loadMemberRoster } from "@/lib/self-service/member-roster";
import { RevealAddress } from "./reveal-address";

export const metadata: Metadata = { title: "Members" };

export default async function MemberRosterPage({ params, searchParams }: { params: Promise<{ targetId: string; listId: string }>; searchParams: Promise<{ page?: string }> }) {
  const { targetId, listId: rawList } = await params;
  const { page: rawPage } = await searchParams;
  const listId = decodeURIComponent(rawList);
  const page = rawPage && /^\d{1,6}$/.test(rawPage) ? Number(rawPage) : 1;
  const roster = await guardPage(async () => {
    const viewer = await requireViewer();
    if (!/^\d{1,9}$/.test(targetId)) throw new NotFoundError("No such list.");
    return loadMemberRoster(viewer, Number(targetId), listId, page);
  }, `/me/roster/${targetId}/${rawList}`);
  return (
    <div className="space-y-6">
      <PageHeader
        title={`Members of ${roster.listId}`}
        description={
          <>
            {roster.total} members. An address shows only for members who let it show. <Link href="/me" className="text-indigo-700">Back to My lists</Link>
          </>
        }
      />
      <Card>
        <ul className="divide-y divide-slate-100 text-sm" data-testid="member-roster">
          {roster.entries.map((e) => (
            <li key={e.memberId} className="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="roster-member">
              <span>{e.displayName}</span>
              <RevealAddress targetId={Number(targetId)} listId={roster.listId} memberId={e.memberId} />
            </li>
          ))}
        </ul>
        <div className="mt-4">
          <Pager label="Member pages" page={roster.page} pageCount={roster.pages} hrefFor={(p) => `/me/roster/${targetId}/${rawList}?page=${p}`} />
        </div>
      </Card>
    </div>
  );
}
