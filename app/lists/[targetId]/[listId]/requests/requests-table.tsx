"use client";

import Link from "next/link";
import { useMemo } from "react";
import { BulkActionBar, RowDecisions, type BulkAction } from "@/components/moderation/bulk-action-bar";
import { ResultList } from "@/components/moderation/result-list";
import { useModerationQueue } from "@/components/moderation/use-moderation-queue";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/card";
import type { RequestsPage } from "@/lib/moderation/requests";
import type { RequestUiAction } from "@/lib/moderation/requests-input";
import { moderateRequestsAction } from "./actions";
import { Pager } from "@/components/ui/pager";
import { DateTime } from "@/components/ui/date-time";

const LABELS: Record<RequestUiAction, string> = { accept: "Accept", reject: "Reject", discard: "Discard", defer: "Defer", ban: "Ban" };
const VARIANTS: Record<RequestUiAction, "primary" | "secondary" | "danger"> = { accept: "primary", reject: "secondary", discard: "danger", defer: "secondary", ban: "danger" };

function pageHref(basePath: string, page: number): string {
  if (page <= 1) return basePath;
  return `${basePath}${basePath.includes("?") ? "&" : "?"}page=${page}`;
}

/** One page of one request queue, with selection, per-row and bulk decisions and a result per request. */
export function RequestsTable({ targetId, listId, basePath, requests, canBan }: { targetId: number; listId: string; basePath: string; requests: RequestsPage; canBan: boolean }) {
  const ids = useMemo(() => requests.entries.map((e) => e.token), [requests.entries]);
  const { selected, chosen, allChosen, toggle, toggleAll, reason, setReason, busy, error, outcome, run } = useModerationQueue({ targetId, listId, ids });
  const actions: BulkAction<RequestUiAction>[] = (canBan ? (["accept", "reject", "discard", "defer", "ban"] as const) : (["accept", "reject", "discard", "defer"] as const)).map(
    (action) => ({ action, label: LABELS[action], variant: VARIANTS[action] }),
  );

  function decide(action: RequestUiAction, tokens: string[], key: string) {
    const items = requests.entries.filter((e) => tokens.includes(e.token)).map((e) => ({ token: e.token, email: e.email }));
    const labels = Object.fromEntries(requests.entries.filter((e) => tokens.includes(e.token)).map((e) => [e.token, e.email || e.token]));
    void run({
      ids: tokens,
      key,
      title: LABELS[action],
      labels,
      clearsReason: action === "reject",
      send: () => moderateRequestsAction({ targetId, listId, tab: requests.tab, items, action, reason: action === "reject" ? reason : undefined }),
    });
  }

  const first = requests.total === 0 ? 0 : (requests.page - 1) * requests.pageSize + 1;
  const last = Math.min(requests.total, (requests.page - 1) * requests.pageSize + requests.entries.length);

  return (
    <div className="space-y-3">
      {outcome ? <ResultList title={outcome.title} results={outcome.results} labels={outcome.labels} /> : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
      {requests.entries.length === 0 ? (
        <EmptyState title={requests.total > 0 ? "Nothing on this page" : "No pending requests"}>
          {requests.total > 0 ? (
            <Link href={basePath} className="text-indigo-700 hover:underline">
              Back to the first page
            </Link>
          ) : null}
        </EmptyState>
      ) : (
        <>
          <BulkActionBar
            count={chosen.length}
            actions={actions}
            busy={busy}
            onAction={(action) => decide(action, chosen, `bulk-${action}`)}
            reason={reason}
            onReason={setReason}
            reasonHelp={`Sent with Reject.${canBan ? " Ban adds the address to this list's bans and discards the request without notice." : ""}`}
          />
          <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <caption className="px-4 py-2 text-left text-xs text-slate-600">
                {first}–{last} of {requests.total} requests
              </caption>
              <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                <tr>
                  <th scope="col" className="px-4 py-2">
                    <input
                      type="checkbox"
                      aria-label="Select all on this page"
                      checked={allChosen}
                      onChange={toggleAll}
                      className="size-4 rounded border-slate-300"
                    />
                  </th>
                  <th scope="col" className="px-4 py-2">Address</th>
                  <th scope="col" className="px-4 py-2">Name</th>
                  <th scope="col" className="px-4 py-2">Requested</th>
                  <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {requests.entries.map((entry) => {
                  const label = entry.email || entry.token;
                  return (
                    <tr key={entry.token}>
                      <td className="px-4 py-2">
                        <input
                          type="checkbox"
                          aria-label={`Select ${label}`}
                          checked={selected.has(entry.token)}
                          onChange={() => toggle(entry.token)}
                          className="size-4 rounded border-slate-300"
                        />
                      </td>
                      <td className="px-4 py-2 font-mono text-xs break-all">{entry.email || "—"}</td>
                      <td className="px-4 py-2">{entry.displayName || "—"}</td>
                      <td className="px-4 py-2 whitespace-nowrap text-slate-700"><DateTime value={entry.when} /></td>
                      <td className="px-4 py-2">
                        <RowDecisions
                          rowKey={entry.token}
                          label={label}
                          names={{ accept: LABELS.accept, discard: LABELS.discard, defer: LABELS.defer }}
                          busy={busy}
                          onDecide={(action, key) => decide(action, [entry.token], key)}
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      <Pager label="Pages of requests" page={requests.page} pageCount={requests.pageCount} hrefFor={(p) => pageHref(basePath, p)} />
    </div>
  );
}
