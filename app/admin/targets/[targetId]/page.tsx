import type { Metadata } from "next";
import Link from "next/link";
import { TargetBreadcrumb } from "@/components/target-breadcrumb";
import { loadTargetPage } from "@/lib/targets/target-page";
import { Card, PageHeader } from "@/components/ui/card";
import { DeleteTargetSection, TargetForm, type EditableTarget } from "../target-form";
import { DateTime } from "@/components/ui/date-time";

export const metadata: Metadata = { title: "Mailman server" };

export default async function EditTargetPage({ params }: { params: Promise<{ targetId: string }> }) {
  const { targetId } = await params;
  const { id, target } = await loadTargetPage(targetId, "");
  const { lastVerifiedAt, updatedAt: _updatedAt, ...editable } = target;
  const formTarget: EditableTarget = editable;

  return (
    <div className="space-y-6">
      <TargetBreadcrumb />
      <PageHeader
        title={target.name}
        description={
          <>
            {target.serverUrl} · last verified <DateTime value={lastVerifiedAt} fallback="never" />
          </>
        }
        actions={
          <Link
            href={`/admin/targets/${id}/domains`}
            className="inline-flex items-center rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
          >
            Manage domains
          </Link>
        }
      />
      <TargetForm target={formTarget} />
      <Card title="Server-wide administration" description="What belongs to the whole Mailman server rather than one list.">
        <ul className="space-y-2 text-sm">
          <li>
            <Link href={`/admin/targets/${id}/sync`} className="font-medium text-indigo-700 hover:underline">
              Sync runs
            </Link>{" "}
            <span className="text-slate-600">: provisioning health, live jobs, retries, history per person and list</span>
          </li>
          <li>
            <Link href={`/admin/targets/${id}/domains`} className="font-medium text-indigo-700 hover:underline">
              Domains of {target.name}
            </Link>
          </li>
          <li>
            <Link href={`/admin/targets/${id}/templates`} className="font-medium text-indigo-700 hover:underline">
              Domain and site templates
            </Link>
          </li>
          <li>
            <Link href={`/admin/targets/${id}/bans`} className="font-medium text-indigo-700 hover:underline">
              Global bans
            </Link>
          </li>
        </ul>
      </Card>
      <DeleteTargetSection id={target.id} name={target.name} />
    </div>
  );
}
