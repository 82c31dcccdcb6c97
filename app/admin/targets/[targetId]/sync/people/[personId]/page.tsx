import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ChangeHistory } from "@/components/provisioning/change-history";
import { TargetBreadcrumb } from "@/components/target-breadcrumb";
import { Card, PageHeader } from "@/components/ui/card";
import { NotFoundError } from "@/lib/errors";
import { changeHistory } from "@/lib/provisioning/sync-console";
import { getPerson, type PersonView } from "@/lib/registry/registry";
import { loadTargetPage } from "@/lib/targets/target-page";

export const metadata: Metadata = { title: "Mailman changes for a person" };

/** Every Mailman change made for one registry person on this server, newest first. */
export default async function PersonHistoryPage({ params, searchParams }: { params: Promise<{ targetId: string; personId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await params;
  const { id, target } = await loadTargetPage(raw.targetId, `/sync/people/${raw.personId}`);
  const personId = /^\d{1,9}$/.test(raw.personId) ? Number(raw.personId) : 0;
  if (!personId) notFound();
  let person: PersonView;
  try {
    person = await getPerson(personId);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const page = Math.max(1, Math.min(100_000, Number((await searchParams).page) || 1));
  const history = await changeHistory({ personId }, { page, targetId: id });
  const base = `/admin/targets/${id}/sync`;
  return (
    <div className="space-y-6">
      <TargetBreadcrumb target={target} />
      <p className="text-sm">
        <Link href={base} className="text-indigo-700 hover:underline">
          ← Sync runs
        </Link>
      </p>
      <PageHeader title={`Mailman changes for ${person.displayName || `person ${person.id}`}`} description={person.emails.map((e) => `${e.address} (${e.type})`).join(", ") || "No address"} />
      <Card title="History" description="One row per call Listkeeper made to Mailman for this person, with the core's answer.">
        <ChangeHistory targetId={id} {...history} show="person" hrefFor={(p) => (p > 1 ? `${base}/people/${personId}?page=${p}` : `${base}/people/${personId}`)} />
      </Card>
    </div>
  );
}
