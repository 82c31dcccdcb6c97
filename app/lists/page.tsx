import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Badge, EmptyState, PageHeader } from "@/components/ui/card";
import { requireViewer } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { disablementsOwnedBy } from "@/lib/lists/disable";
import { MODE_LABEL } from "@/lib/lists/disable-plan";
import { LIST_STATUS_FILTERS, loadListIndex, type ListStatusFilter } from "@/lib/lists/list-index";
import { snapshotAgeText } from "@/lib/lists/snapshot-age";
import { listTargets } from "@/lib/targets/targets";

export const metadata: Metadata = { title: "Lists" };

const PAGE_SIZE = 25;

const linkButton =
  "inline-flex items-center justify-center rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500";
const control =
  "block rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function positiveInt(value: string | undefined): number | undefined {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export default async function ListsPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await guardPage(requireViewer, "/lists");
  const params = await searchParams;
  const q = (first(params.q) ?? "").trim().slice(0, 200);
  const requestedPage = positiveInt(first(params.page)) ?? 1;
  const targets = await listTargets();
  const targetId = targets.find((t) => t.id === positiveInt(first(params.target)))?.id;
  const status: ListStatusFilter = LIST_STATUS_FILTERS.find((f) => f === first(params.status)) ?? "all";
  // Only something shaped like a list address is echoed back in the notice.
  const deleted = /^[^\s@<>]{1,64}@[a-z0-9.-]{1,253}$/i.exec(first(params.deleted) ?? "")?.[0];

  const createButton = viewer.isSuperuser ? (
    <Link href="/lists/new" className={linkButton}>
      Create list
    </Link>
  ) : null;

  if (targets.length === 0) {
    return (
      <>
        <PageHeader title="Lists" />
        <EmptyState title="No Mailman servers yet">
          {viewer.isSuperuser ? (
            <p>
              Lists live on Mailman servers.{" "}
              <Link href="/admin/targets" className="font-medium text-indigo-700 underline">
                Add a Mailman server
              </Link>{" "}
              to see and create lists.
            </p>
          ) : (
            <p>No Mailman server has been set up yet. Ask a Listkeeper superuser to add one.</p>
          )}
        </EmptyState>
      </>
    );
  }

  const [index, formerlyOwned] = await Promise.all([
    loadListIndex(viewer, { q, page: requestedPage, pageSize: PAGE_SIZE, targetId, status }),
    // Disabling replaced their owners: such lists are no longer "theirs" in the core.
    viewer.isSuperuser ? Promise.resolve([]) : disablementsOwnedBy(viewer.verifiedEmails),
  ]);
  const hrefFor = (page: number) => {
    const query = new URLSearchParams();
    if (q) query.set("q", q);
    if (targetId !== undefined) query.set("target", String(targetId));
    if (status !== "all") query.set("status", status);
    if (page > 1) query.set("page", String(page));
    const text = query.toString();
    return text ? `/lists?${text}` : "/lists";
  };

  return (
    <>
      <PageHeader
        title="Lists"
        description={
          viewer.isSuperuser
            ? "Every list on the Mailman servers Listkeeper knows."
            : "Advertised lists and the lists you belong to, as owner, moderator or member."
        }
        actions={createButton}
      />
      {deleted ? (
        <Alert tone="success" className="mb-4" data-testid="list-notice">
          The list {deleted} was deleted from its Mailman server.
        </Alert>
      ) : null}

      <Form action="/lists" role="search" className="mb-4 flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1 space-y-1">
          <label htmlFor="list-search" className="block text-sm font-medium text-slate-800">
            Search lists
          </label>
          <input
            id="list-search"
            name="q"
            type="search"
            defaultValue={q}
            maxLength={200}
            placeholder="Name, address or description"
            className={`${control} w-full`}
          />
        </div>
        {targets.length > 1 ? (
          <div className="space-y-1">
            <label htmlFor="list-target" className="block text-sm font-medium text-slate-800">
              Server
            </label>
            <select id="list-target" name="target" defaultValue={targetId === undefined ? "" : String(targetId)} className={control}>
              <option value="">All servers</option>
              {targets.map((t) => (
                <option key={t.id} value={String(t.id)}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="space-y-1">
          <label htmlFor="list-status" className="block text-sm font-medium text-slate-800">
            Status
          </label>
          <select id="list-status" name="status" defaultValue={status} className={control}>
            <option value="all">All lists</option>
            <option value="active">Active</option>
            <option value="disabled">Disabled or archived</option>
          </select>
        </div>
        <button
          type="submit"
          className="rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
        >
          Search
        </button>
      </Form>

      {formerlyOwned.length > 0 ? (
        <Alert tone="info" title="Lists you owned before they were disabled" className="mb-4">
          <ul className="space-y-1">
            {formerlyOwned.map((d) => (
              <li key={d.id}>
                <Link href={`/lists/${d.targetId}/${encodeURIComponent(d.listId)}/disable`} className="font-medium underline">
                  {d.fqdn}
                </Link>{" "}
                ({MODE_LABEL[d.mode].toLowerCase()}; you may re-enable it)
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}

      {index.unreachable.length > 0 ? (
        <div className="mb-4 space-y-2">
          {index.unreachable.map((u) => (
            <Alert key={u.targetId} tone="warning" title={`The lists on ${u.targetName} could not be loaded`}>
              {u.message} The lists of the other servers are shown.
            </Alert>
          ))}
        </div>
      ) : null}

      {index.snapshotAt ? (
        <p className="mb-2 text-xs text-slate-500" data-testid="list-index-age">
          Names, descriptions and member counts as of <time dateTime={index.snapshotAt.toISOString()}>{snapshotAgeText(index.snapshotAt)}</time>: read from
          the servers every minute in the background, and at once after changes made here.
        </p>
      ) : null}

      {index.total === 0 ? (
        status !== "all" && !q ? (
          <EmptyState title={status === "disabled" ? "No disabled or archived lists" : "No active lists"}>
            <p>
              <Link href="/lists" className="font-medium text-indigo-700 underline">
                Show all lists
              </Link>
            </p>
          </EmptyState>
        ) : q ? (
          <EmptyState title={`No lists match “${q}”`}>
            <p>
              Search looks at list names, addresses and descriptions.{" "}
              <Link href={targetId === undefined ? "/lists" : `/lists?target=${targetId}`} className="font-medium text-indigo-700 underline">
                Show all lists
              </Link>
            </p>
          </EmptyState>
        ) : (
          <EmptyState title="No lists yet">
            {viewer.isSuperuser ? (
              <p>
                <Link href="/lists/new" className="font-medium text-indigo-700 underline">
                  Create the first list
                </Link>
                .
              </p>
            ) : (
              <p>No list is advertised, and none of your verified addresses is on a list.</p>
            )}
          </EmptyState>
        )
      ) : (
        <>
          <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <caption className="sr-only">
                Lists, {index.total} in all, page {index.page} of {index.pageCount}
              </caption>
              <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                <tr>
                  <th scope="col" className="px-4 py-3">
                    List
                  </th>
                  <th scope="col" className="px-4 py-3">
                    Server
                  </th>
                  <th scope="col" className="px-4 py-3">
                    Description
                  </th>
                  <th scope="col" className="px-4 py-3 text-right">
                    Members
                  </th>
                  <th scope="col" className="px-4 py-3">
                    Visibility
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {index.entries.map((entry) => (
                  <tr key={`${entry.targetId}:${entry.listId}`} className="align-top">
                    <td className="px-4 py-3">
                      <div className="flex flex-wrap items-center gap-2">
                        <Link
                          href={`/lists/${entry.targetId}/${encodeURIComponent(entry.listId)}`}
                          className="font-medium text-indigo-700 hover:underline"
                        >
                          {entry.displayName}
                        </Link>
                        {entry.mine ? <Badge tone="indigo">Yours</Badge> : null}
                        {entry.disabled ? (
                          <span data-testid="list-disabled-badge">
                            <Badge tone="red">{MODE_LABEL[entry.disabled]}</Badge>
                          </span>
                        ) : null}
                      </div>
                      <div className="mt-0.5 font-mono text-xs text-slate-600">{entry.fqdn}</div>
                    </td>
                    <td className="px-4 py-3 text-slate-700">{entry.targetName}</td>
                    <td className="max-w-md px-4 py-3 text-slate-700">{entry.description || <span className="text-slate-400">—</span>}</td>
                    <td className="px-4 py-3 text-right tabular-nums text-slate-700">{entry.memberCount}</td>
                    <td className="px-4 py-3">
                      {entry.advertised ? <Badge tone="emerald">Advertised</Badge> : <Badge tone="amber">Unadvertised</Badge>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <nav aria-label="Pagination" className="mt-4 flex items-center justify-between gap-4 text-sm">
            {index.page > 1 ? (
              <Link href={hrefFor(index.page - 1)} aria-label="Previous page" rel="prev" className="font-medium text-indigo-700 hover:underline">
                ← Previous
              </Link>
            ) : (
              <span aria-hidden className="text-slate-400">
                ← Previous
              </span>
            )}
            <span className="text-slate-600" aria-current="page">
              Page {index.page} of {index.pageCount}
              <span className="text-slate-400"> · {index.total === 1 ? "1 list" : `${index.total} lists`}</span>
            </span>
            {index.page < index.pageCount ? (
              <Link href={hrefFor(index.page + 1)} aria-label="Next page" rel="next" className="font-medium text-indigo-700 hover:underline">
                Next →
              </Link>
            ) : (
              <span aria-hidden className="text-slate-400">
                Next →
              </span>
            )}
          </nav>
        </>
      )}
    </>
  );
}
