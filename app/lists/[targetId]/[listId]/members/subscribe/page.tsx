import type { Metadata } from "next";
import Link from "next/link";
import { ListHeader, listPath } from "@/components/list-header";
import { loadListPage, parseListParams } from "@/lib/lists/list-page";
import { MassSubscribeForm } from "./mass-subscribe-form";

type Params = Promise<{ targetId: string; listId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { targetId, listId } = parseListParams(await params);
  const { list } = await loadListPage(targetId, listId, "administer", "/members/subscribe");
  return { title: `Mass subscribe · ${list.display_name || list.fqdn_listname}` };
}

/** Mass subscribe (console.md §3.4): preflight, then a background job with a report per address. */
export default async function MassSubscribePage({ params }: { params: Params }) {
  const { targetId, listId } = parseListParams(await params);
  const access = await loadListPage(targetId, listId, "administer", "/members/subscribe");
  return (
    <>
      <ListHeader access={access} current="members" />
      <p className="mb-4 text-sm">
        <Link href={listPath(access.target.id, access.list.list_id, "/members")} className="text-indigo-700 hover:underline">
          ← Members
        </Link>
      </p>
      <h2 className="mb-1 text-xl font-semibold text-slate-900">Mass subscribe</h2>
      <p className="mb-6 max-w-3xl text-sm text-slate-600">
        Paste addresses or choose a CSV file, check what will happen to each, then start. The job runs in the background: you can leave this page and come back to its
        progress and report from the Members page.
      </p>
      <MassSubscribeForm targetId={access.target.id} listId={access.list.list_id} />
    </>
  );
}
