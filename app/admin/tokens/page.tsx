import type { Metadata } from "next";
import { Card, PageHeader } from "@/components/ui/card";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { requireSuperuser } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { CreateTokenForm, RevokeTokenButton } from "./token-forms";

export const metadata: Metadata = { title: "API tokens" };

const format = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const when = (at: Date | null) => (at ? `${format.format(at)} UTC` : "Never");

export default async function TokensPage() {
  const tokens = await guardPage(async () => {
    await requireSuperuser();
    return listApiTokens();
  }, "/admin/tokens");
  return (
    <div className="space-y-6">
      <PageHeader title="API tokens" description="Bearer tokens for the JSON API v1 (/api/v1). A token acts with its creator's rights at the moment of each call." />
      <Card title="New token">
        <CreateTokenForm />
      </Card>
      <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-3">Name</th>
              <th scope="col" className="px-4 py-3">Created by</th>
              <th scope="col" className="px-4 py-3">Created</th>
              <th scope="col" className="px-4 py-3">Last used</th>
              <th scope="col" className="px-4 py-3"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {tokens.map((t) => (
              <tr key={t.id}>
                <td className="px-4 py-3 font-medium">{t.name}</td>
                <td className="px-4 py-3">{t.createdBy}</td>
                <td className="px-4 py-3">{when(t.createdAt)}</td>
                <td className="px-4 py-3">{when(t.lastUsedAt)}</td>
                <td className="px-4 py-3">{t.revokedAt ? `Revoked ${when(t.revokedAt)}` : <RevokeTokenButton id={t.id} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
