import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { requireSuperuser } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { listTargets } from "@/lib/targets/targets";
import { DateTime } from "@/components/ui/date-time";

export const metadata: Metadata = { title: "Mailman servers" };

const linkButton = "inline-flex items-center rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500";

export default async function TargetsPage() {
  const targets = await guardPage(async () => {
    await requireSuperuser();
    return listTargets();
  }, "/admin/targets");

  return (
    <div>
      <PageHeader
        title="Mailman servers"
        description="The Mailman 3 cores Listkeeper administers and provisions."
        actions={
          <Link href="/admin/targets/new" className={linkButton}>
            Add server
          </Link>
        }
      />
      {targets.length === 0 ? (
        <EmptyState title="No Mailman server registered yet">
          <p>Add the REST URL and admin credentials of a Mailman 3 core to manage its domains and lists here.</p>
          <p className="mt-4">
            <Link href="/admin/targets/new" className={linkButton}>
              Add server
            </Link>
          </p>
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-3">Name</th>
                <th scope="col" className="px-4 py-3">REST URL</th>
                <th scope="col" className="px-4 py-3">Domain</th>
                <th scope="col" className="px-4 py-3">Admin user</th>
                <th scope="col" className="px-4 py-3">Last verified</th>
                <th scope="col" className="px-4 py-3"><span className="sr-only">Domains</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {targets.map((t) => (
                <tr key={t.id}>
                  <td className="px-4 py-3 font-medium">
                    <Link href={`/admin/targets/${t.id}`} className="text-indigo-700 hover:underline">
                      {t.name}
                    </Link>
                    {t.description ? <p className="text-xs font-normal text-slate-500">{t.description}</p> : null}
                  </td>
                  <td className="px-4 py-3 font-mono text-xs">{t.serverUrl}</td>
                  <td className="px-4 py-3">{t.domain}</td>
                  <td className="px-4 py-3">{t.adminUser}</td>
                  <td className="px-4 py-3 text-slate-600"><DateTime value={t.lastVerifiedAt} fallback="Never" /></td>
                  <td className="px-4 py-3 text-right">
                    <Link href={`/admin/targets/${t.id}/domains`} className="text-indigo-700 hover:underline">
                      Domains<span className="sr-only"> of {t.name}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
