"use client";

import Link from "next/link";
import { useMemo } from "react";
import { BulkActionBar, RowDecisions, type BulkAction } from "@/components/moderation/bulk-action-bar";
import { ResultList } from "@/components/moderation/result-list";
import { useModerationQueue } from "@/components/moderation/use-moderation-queue";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/card";
import type { HeldAction } from "@/lib/mailman/held";
import type { HeldPage } from "@/lib/moderation/held";
import { moderateHeldAction } from "./actions";
import { Pager } from "@/components/ui/pager";
import { DateTime } from "@/components/ui/date-time";
import { Address } from "@/components/ui/address";

const ACTIONS: BulkAction<HeldAction>[] = [
  { action: "accept", label: "Accept", variant: "primary" },
  { action: "reject", label: "Reject", variant: "secondary" },
  { action: "discard", label: "Discard", variant: "danger" },
  { action: "defer", label: "Defer", variant: "secondary" },
];

const PAST: Record<HeldAction, string> = { accept: "Accept", reject: "Reject", discard: "Discard", defer: "Defer" };

function pageHref(basePath: string, page: number): string {
  return page > 1 ? `${basePath}?page=${page}` : basePath;
}

/** The queue: one page of held messages with selection, per-row and bulk decisions. */
export function HeldQueue({ targetId, listId, basePath, held }: { targetId: number; listId: string; basePath: string; held: HeldPage }) {
  const ids = useMemo(() => held.entries.map((e) => e.requestId), [held.entries]);
  const { selected, chosen, allChosen, toggle, toggleAll, reason, setReason, busy, error, outcome, run } = useModerationQueue({ targetId, listId, ids });

  function decide(action: HeldAction, requestIds: number[], key: string) {
    const labels = Object.fromEntries(
      held.entries.filter((e) => requestIds.includes(e.requestId)).map((e) => [String(e.requestId), e.subject || "(no subject)"]),
    );
    void run({
      ids: requestIds,
      key,
      title: PAST[action],
      labels,
      clearsReason: action === "reject",
      send: () => moderateHeldAction({ targetId, listId, requestIds, action, reason: action === "reject" ? reason : undefined }),
    });
  }

  const first = held.total === 0 ? 0 : (held.page - 1) * held.pageSize + 1;
  const last = Math.min(held.total, (held.page - 1) * held.pageSize + held.entries.length);

  return (
    <div className="space-y-3">
      {outcome ? <ResultList title={outcome.title} results={outcome.results} labels={outcome.labels} /> : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
      {held.entries.length === 0 ? (
        <EmptyState title={held.total > 0 ? "Nothing on this page" : "No held messages"}>
          {held.total > 0 ? (
            <Link href={basePath} className="text-indigo-700 hover:underline">
              Back to the first page
            </Link>
          ) : (
            "Posts held for moderation will appear here."
          )}
        </EmptyState>
      ) : (
        <>
          <BulkActionBar
            count={chosen.length}
            actions={ACTIONS}
            busy={busy}
            onAction={(action) => decide(action, chosen, `bulk-${action}`)}
            reason={reason}
            onReason={setReason}
            reasonHelp="Sent to the sender with Reject. Leave empty for Mailman's default text."
          />
          <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <caption className="px-4 py-2 text-left text-xs text-slate-600">
                {first}–{last} of {held.total} held messages
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
                  <th scope="col" className="px-4 py-2">Subject</th>
                  <th scope="col" className="px-4 py-2">Sender</th>
                  <th scope="col" className="px-4 py-2">Reason</th>
                  <th scope="col" className="px-4 py-2">Held</th>
                  <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {held.entries.map((entry) => {
                  const subject = entry.subject || "(no subject)";
                  return (
                    <tr key={entry.requestId}>
                      <td className="px-4 py-2">
                        <input
                          type="checkbox"
                          aria-label={`Select ${subject}`}
                          checked={selected.has(entry.requestId)}
                          onChange={() => toggle(entry.requestId)}
                          className="size-4 rounded border-slate-300"
                        />
                      </td>
                      <td className="max-w-xs px-4 py-2 break-words">
                        <Link href={`${basePath}/${entry.requestId}`} className="font-medium text-indigo-700 hover:underline">
                          {subject}
                        </Link>
                      </td>
                      <td className="px-4 py-2 font-mono text-xs" data-testid="held-row-sender">{entry.sender ? <Address email={entry.sender} /> : "—"}</td>
                      <td className="px-4 py-2 text-slate-700">{entry.reason || "—"}</td>
                      <td className="px-4 py-2 whitespace-nowrap text-slate-700"><DateTime value={entry.holdDate} /></td>
                      <td className="px-4 py-2">
                        <RowDecisions
                          rowKey={entry.requestId}
                          label={subject}
                          names={{ accept: PAST.accept, discard: PAST.discard, defer: PAST.defer }}
                          busy={busy}
                          onDecide={(action, key) => decide(action, [entry.requestId], key)}
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
      <Pager label="Pages of held messages" page={held.page} pageCount={held.pageCount} hrefFor={(p) => pageHref(basePath, p)} />
    </div>
  );
}
