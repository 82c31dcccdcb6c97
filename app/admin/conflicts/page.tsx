import type { Metadata } from "next";
import Link from "next/link";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { Pager } from "@/components/ui/pager";
import { requireSuperuser } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { conflictsPage, type ConflictRow } from "@/lib/provisioning/conflicts-console";
import { CONFLICT_KIND_LABEL } from "@/lib/provisioning/sync-summary";
import { ConflictActions } from "./conflict-actions";

export const metadata: Metadata = { title: "Conflicts" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const pageOf = (v: string | string[] | undefined) => {
  const n = Number(Array.isArray(v) ? v[0] : v);
  return Number.isInteger(n) && n > 0 && n < 100_000 ? n : 1;
};

/** Address conflicts on every server (issue 10 item 4): open ones with the other core user, resolved ones with who resolved them. */
export default async function ConflictsPage({ searchParams }: { searchParams: SearchParams }) {
  await guardPage(requireSuperuser, "/admin/conflicts");
  const sp = await searchParams;
  const openPage = pageOf(sp.page);
  const resolvedPage = pageOf(sp.resolved);
  const [open, resolved] = await Promise.all([conflictsPage({ open: true, page: openPage }), conflictsPage({ open: false, page: resolvedPage })]);
  const href = (o: number, r: number) => {
    const q = new URLSearchParams();
    if (o > 1) q.set("page", String(o));
    if (r > 1) q.set("resolved", String(r));
    const s = q.toString();
    return s ? `/admin/conflicts?${s}` : "/admin/conflicts";
  };
  return (
    <div className="space-y-6">
      <PageHeader
        title="Conflicts"
        description="Addresses the provisioner could not give a person because another Mailman user holds them. A conflict is never retried on its own: resolve it here."
      />
      <section aria-labelledby="open-heading" className="space-y-3">
        <h2 id="open-heading" className="text-lg font-semibold text-slate-900">
          Open ({open.total})
        </h2>
        {open.total === 0 ? (
          <EmptyState title="No open conflict">Every person&apos;s addresses are theirs in Mailman.</EmptyState>
        ) : (
          <>
            <ul className="space-y-4" data-testid="open-conflicts">
              {open.items.map((c) => (
                <OpenConflict key={c.id} c={c} />
              ))}
            </ul>
            <Pager label="Open conflict pages" page={open.page} pageCount={Math.ceil(open.total / open.perPage)} hrefFor={(p) => href(p, resolvedPage)} />
          </>
        )}
      </section>
      <section aria-labelledby="resolved-heading" className="space-y-3">
        <h2 id="resolved-heading" className="text-lg font-semibold text-slate-900">
          Resolved ({resolved.total})
        </h2>
        {resolved.total === 0 ? (
          <EmptyState title="No resolved conflict yet" />
        ) : (
          <>
            <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
              <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="resolved-conflicts">
                <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                  <tr>
                    <th scope="col" className="px-4 py-2">Address</th>
                    <th scope="col" className="px-4 py-2">Person</th>
                    <th scope="col" className="px-4 py-2">Server</th>
                    <th scope="col" className="px-4 py-2">Resolution</th>
                    <th scope="col" className="px-4 py-2">By</th>
                    <th scope="col" className="px-4 py-2">When</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {resolved.items.map((c) => (
                    <tr key={c.id} data-testid="resolved-conflict">
                      <td className="px-4 py-2 font-mono break-all">{c.email}</td>
                      <td className="px-4 py-2">
                        <Link href={`/admin/targets/${c.targetId}/sync/people/${c.personId}`} className="text-indigo-700 hover:underline">
                          {c.personName}
                        </Link>
                      </td>
                      <td className="px-4 py-2">{c.targetName}</td>
                      <td className="px-4 py-2">
                        <Badge tone={c.resolution === "ignore" ? "slate" : "emerald"}>{c.resolution ?? "—"}</Badge>
                      </td>
                      <td className="px-4 py-2 break-all">{c.resolvedBy ?? "—"}</td>
                      <td className="whitespace-nowrap px-4 py-2">
                        <DateTime value={c.resolvedAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager label="Resolved conflict pages" page={resolved.page} pageCount={Math.ceil(resolved.total / resolved.perPage)} hrefFor={(p) => href(openPage, p)} />
          </>
        )}
      </section>
    </div>
  );
}

function OpenConflict({ c }: { c: ConflictRow }) {
  const o = c.other;
  return (
    <li data-testid="open-conflict" data-email={c.email}>
      <Card
        title={
          <>
            <span className="font-mono">{c.email}</span> · {CONFLICT_KIND_LABEL[c.kind]}
          </>
        }
        description={
          <>
            For{" "}
            <Link href={`/admin/targets/${c.targetId}/sync/people/${c.personId}`} className="text-indigo-700 hover:underline">
              {c.personName}
            </Link>{" "}
            on{" "}
            <Link href={`/admin/targets/${c.targetId}/sync`} className="text-indigo-700 hover:underline">
              {c.targetName}
            </Link>{" "}
            (mode {c.targetMode}, conflict mode {c.addressConflictMode}) · recorded <DateTime value={c.createdAt} /> · {c.message}
          </>
        }
      >
        <div className="grid gap-4 md:grid-cols-2">
          <div className="text-sm">
            <h3 className="font-semibold">The other Mailman user</h3>
            {!o ? null : o.problem ? (
              <p className="text-amber-900">{o.problem}</p>
            ) : (
              <>
                <p className="text-slate-600">
                  <span className="font-mono">{o.userId}</span>
                  {o.displayName ? ` · ${o.displayName}` : ""}
                  {o.createdOn ? (
                    <>
                      {" "}
                      · created <DateTime value={o.createdOn} />
                    </>
                  ) : null}
                </p>
                <p className="text-slate-600">
                  {o.heldBy?.kind === "person" ? (
                    <>
                      Held by registry person{" "}
                      <Link href={`/admin/targets/${c.targetId}/sync/people/${o.heldBy.personId}`} className="text-indigo-700 hover:underline">
                        {o.heldBy.name}
                      </Link>
                      : it is never taken over.
                    </>
                  ) : o.heldBy?.kind === "account" ? (
                    "Held by a member's Listkeeper account."
                  ) : (
                    "Listkeeper did not create it and no person holds it."
                  )}
                </p>
                <h4 className="mt-2 font-medium">Addresses ({o.addresses.length})</h4>
                <ul data-testid="other-addresses">
                  {o.addresses.map((a) => (
                    <li key={a.email} className="font-mono break-all">
                      {a.email} {a.ofThisPerson ? <Badge tone="emerald">this person&apos;s</Badge> : <Badge tone="amber">not this person&apos;s</Badge>}
                      {a.verified ? null : <span className="text-xs text-slate-500"> (unverified)</span>}
                    </li>
                  ))}
                </ul>
                <h4 className="mt-2 font-medium">Memberships ({o.memberships.length})</h4>
                {o.memberships.length === 0 ? (
                  <p className="text-slate-600">None.</p>
                ) : (
                  <ul data-testid="other-memberships">
                    {o.memberships.map((m) => (
                      <li key={`${m.listId}|${m.role}|${m.email}`} className="break-all">
                        {m.listId} <span className="text-slate-500">({m.role}, {m.email})</span>
                      </li>
                    ))}
                  </ul>
                )}
              </>
            )}
          </div>
          <div className="text-sm">
            <h3 className="font-semibold">This person&apos;s addresses</h3>
            <ul className="mb-3 font-mono">
              {c.personAddresses.map((a) => (
                <li key={a} className="break-all">
                  {a}
                </li>
              ))}
            </ul>
            <ConflictActions id={c.id} email={c.email} actions={c.actions} targetId={c.targetId} />
          </div>
        </div>
      </Card>
    </li>
  );
}
