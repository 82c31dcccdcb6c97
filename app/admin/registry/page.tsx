import type { Metadata } from "next";
import Link from "next/link";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { requireSuperuser } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { listTargetViews } from "@/lib/provisioning/targets-api";
import { findPeople, listEmailLists, listGroups } from "@/lib/registry/registry";
import { ReconcileTarget } from "./controls";
import { RegistryNav } from "./registry-nav";

export const metadata: Metadata = { title: "Registry" };

export default async function RegistryPage() {
  const data = await guardPage(async () => {
    await requireSuperuser();
    const [targets, peopleCount, groupCount, listCount] = await Promise.all([
      listTargetViews(),
      findPeople({ page: 1, perPage: 1 }).then((r) => r.total),
      listGroups(1, 1).then((r) => r.total),
      listEmailLists(1, 1).then((r) => r.total),
    ]);
    return { targets, peopleCount, groupCount, listCount };
  }, "/admin/registry");
  return (
    <div>
      <PageHeader title="Registry" description="People, groups and email lists that Listkeeper provisions into Mailman. Every change shows its plan before it reaches a server." />
      <RegistryNav current="/admin/registry" />
      <div className="grid gap-4 sm:grid-cols-3">
        <Card title={<Link href="/admin/registry/people" className="hover:underline">People</Link>}>
          <p className="text-2xl font-bold">{data.peopleCount}</p>
        </Card>
        <Card title={<Link href="/admin/registry/groups" className="hover:underline">Groups</Link>}>
          <p className="text-2xl font-bold">{data.groupCount}</p>
        </Card>
        <Card title={<Link href="/admin/registry/email-lists" className="hover:underline">Email lists</Link>}>
          <p className="text-2xl font-bold">{data.listCount}</p>
        </Card>
      </div>
      <h2 className="mt-8 mb-3 text-lg font-semibold">Full reconcile</h2>
      {data.targets.length === 0 ? (
        <EmptyState title="No Mailman server yet">
          <Link href="/admin/targets/new" className="text-indigo-700 hover:underline">Register a server</Link> first.
        </EmptyState>
      ) : (
        <div className="space-y-4">
          {data.targets.map((t) => (
            <Card key={t.id} title={t.name} description={`${t.domain} · mode ${t.mode} · unmanaged addresses: ${t.unmanagedEmailMode}`}>
              <ReconcileTarget targetId={t.id} />
            </Card>
          ))}
        </div>
      )}
    </div>
  );
}
