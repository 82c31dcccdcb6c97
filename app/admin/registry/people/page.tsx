import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Pager } from "@/components/ui/pager";
import { requireSuperuser } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { PERSON_STATUSES } from "@/lib/provisioning/desired";
import { findPeople } from "@/lib/registry/registry";
import { pageParam, RegistryNav, tableClass, tableWrap, theadClass } from "../registry-nav";
import { PersonForm } from "./person-forms";

export const metadata: Metadata = { title: "Registry people" };
const PER_PAGE = 50;

const filters = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  email: z.string().trim().max(254).optional().catch(undefined),
  externalId: z.string().trim().max(200).optional().catch(undefined),
  status: z.enum(PERSON_STATUSES).optional().catch(undefined),
});

const input = "block w-full rounded-md px-3 py-2 text-sm ring-1 ring-inset ring-slate-300";

export default async function PeoplePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const page = pageParam(sp.page);
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
  const f = filters.parse({ q: one(sp.q), email: one(sp.email), externalId: one(sp.externalId), status: one(sp.status) });
  const { items, total } = await guardPage(async () => {
    await requireSuperuser();
    return findPeople({ ...f, page, perPage: PER_PAGE });
  }, "/admin/registry/people");
  const query = (p: number) => {
    const params = new URLSearchParams(Object.entries({ ...f, page: String(p) }).filter((e): e is [string, string] => Boolean(e[1])));
    return `/admin/registry/people?${params}`;
  };
  const filtered = Boolean(f.q || f.email || f.externalId || f.status);
  return (
    <div>
      <PageHeader title="People" description="Registry people and their typed addresses. The preferred address (provisioning.md §2.4) is the one Mailman delivers to." />
      <RegistryNav current="/admin/registry/people" />
      <div className="space-y-6">
        <form method="get" action="/admin/registry/people" role="search" className="grid gap-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:grid-cols-5">
          <label className="text-sm font-medium sm:col-span-2">Name or address contains<input name="q" defaultValue={f.q ?? ""} className={input} /></label>
          <label className="text-sm font-medium">Exact address<input name="email" type="email" defaultValue={f.email ?? ""} className={input} /></label>
          <label className="text-sm font-medium">External id<input name="externalId" defaultValue={f.externalId ?? ""} className={input} /></label>
          <label className="text-sm font-medium">
            Status
            <select name="status" defaultValue={f.status ?? ""} className={input}>
              <option value="">any</option>
              {PERSON_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </label>
          <div className="flex gap-2 sm:col-span-5">
            <button type="submit" className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white">Search</button>
            {filtered ? <Link href="/admin/registry/people" className="px-3 py-2 text-sm text-slate-700">Clear</Link> : null}
          </div>
        </form>
        {items.length === 0 ? (
          <EmptyState title={filtered ? "No one matches" : page > 1 ? "No people on this page" : "No people yet"}>{filtered ? "Try a shorter part of the name or address." : "Create the first person below, or add people to a group by address."}</EmptyState>
        ) : (
          <div className={tableWrap}>
            <table className={tableClass}>
              <thead className={theadClass}>
                <tr>
                  <th scope="col" className="px-4 py-3">Name</th>
                  <th scope="col" className="px-4 py-3">Addresses</th>
                  <th scope="col" className="px-4 py-3">Status</th>
                  <th scope="col" className="px-4 py-3">External id</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {items.map((p) => (
                  <tr key={p.id}>
                    <td className="px-4 py-3 font-medium"><Link href={`/admin/registry/people/${p.id}`} className="text-indigo-700 hover:underline">{p.displayName || `Person ${p.id}`}</Link></td>
                    <td className="px-4 py-3 break-all">{p.emails.map((e) => `${e.address} (${e.type})`).join(", ") || "none"}</td>
                    <td className="px-4 py-3"><Badge tone={p.status === "active" ? "emerald" : "amber"}>{p.status}</Badge></td>
                    <td className="px-4 py-3">{p.externalId ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="text-sm text-slate-600">{total} {total === 1 ? "person" : "people"}</p>
        <Pager label="People pages" page={page} pageCount={Math.ceil(total / PER_PAGE)} hrefFor={query} />
        <Card title="New person">
          <PersonForm />
        </Card>
      </div>
    </div>
  );
}
