import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ChangeHistory } from "@/components/provisioning/change-history";
import { TargetBreadcrumb } from "@/components/target-breadcrumb";
import { Card, PageHeader } from "@/components/ui/card";
import { NotFoundError } from "@/lib/errors";
import { changeHistory } from "@/lib/provisioning/sync-console";
import { getEmailList, type EmailListView } from "@/lib/registry/registry";
import { loadTargetPage } from "@/lib/targets/target-page";
import { InitPreview } from "./init-preview";

export const metadata: Metadata = { title: "Mailman changes for a list" };

/** Every Mailman change made for one registry email list, newest first; the init of a self-service list. */
export default async function ListHistoryPage({ params, searchParams }: { params: Promise<{ targetId: string; emailListId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await params;
  const { id, target } = await loadTargetPage(raw.targetId, `/sync/lists/${raw.emailListId}`);
  const emailListId = /^\d{1,9}$/.test(raw.emailListId) ? Number(raw.emailListId) : 0;
  if (!emailListId) notFound();
  let list: EmailListView;
  try {
    list = await getEmailList(emailListId);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  if (list.targetId !== id) notFound();
  const page = Math.max(1, Math.min(100_000, Number((await searchParams).page) || 1));
  const history = await changeHistory({ emailListId }, { page, targetId: id });
  const base = `/admin/targets/${id}/sync`;
  return (
    <div className="space-y-6">
      <TargetBreadcrumb target={target} />
      <p className="text-sm">
        <Link href={base} className="text-indigo-700 hover:underline">
          ← Sync runs
        </Link>
      </p>
      <PageHeader
        title={`Mailman changes for list ${list.name}`}
        description={`${list.mailmanListId ?? "Not provisioned yet"} · ${list.membershipMode === "self_service" ? "self-service" : "group"} membership · ${list.status}`}
      />
      {list.membershipMode === "self_service" ? (
        <Card
          title="Init from the current roster"
          description="IXP Manager's init: every eligible person without a choice gets one from the roster as it is now (on it: subscribed; not on it: not subscribed). Choices already made are kept, opt-outs included. Nothing is changed in Mailman."
        >
          <InitPreview targetId={id} emailListId={list.id} />
        </Card>
      ) : null}
      <Card title="History" description="One row per call Listkeeper made to Mailman for this list, with the core's answer.">
        <ChangeHistory targetId={id} {...history} show="list" hrefFor={(p) => (p > 1 ? `${base}/lists/${emailListId}?page=${p}` : `${base}/lists/${emailListId}`)} />
      </Card>
    </div>
  );
}
