"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { listBadgesKey } from "@/components/list-badges";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { TextAreaField } from "@/components/ui/field";
import { formatCoreDate, type ItemResult } from "@/lib/moderation/outcome";
import type { RequestsPage } from "@/lib/moderation/requests";
import type { RequestUiAction } from "@/lib/moderation/requests-input";
import { actionProblem, ResultList } from "../held/result-list";
import { moderateRequestsAction } from "./actions";
import { Pager } from "@/components/ui/pager";

const LABELS: Record<RequestUiAction, string> = { accept: "Accept", reject: "Reject", discard: "Discard", defer: "Defer", ban: "Ban" };
const VARIANTS: Record<RequestUiAction, "primary" | "secondary" | "danger"> = { accept: "primary", reject: "secondary", discard: "danger", defer: "secondary", ban: "danger" };

function pageHref(basePath: string, page: number): string {
  if (page <= 1) return basePath;
  return `${basePath}${basePath.includes("?") ? "&" : "?"}page=${page}`;
}

/** One page of one request queue, with selection, per-row and bulk decisions and a result per request. */
export function RequestsTable({ targetId, listId, basePath, requests, canBan }: { targetId: number; listId: string; basePath: string; requests: RequestsPage; canBan: boolean }) {
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ title: string; results: ItemResult[]; labels: Record<string, string> } | null>(null);

  const actions: RequestUiAction[] = canBan ? ["accept", "reject", "discard", "defer", "ban"] : ["accept", "reject", "discard", "defer"];
  const visible = useMemo(() => new Set(requests.entries.map((e) => e.token)), [requests.entries]);
  const chosen = [...selected].filter((t) => visible.has(t));
  const allChosen = requests.entries.length > 0 && chosen.length === requests.entries.length;

  function toggle(token: string) {
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(token)) next.delete(token);
      else next.add(token);
      return next;
    });
  }

  async function run(action: RequestUiAction, tokens: string[], key: string) {
    if (tokens.length === 0) return;
    const items = requests.entries.filter((e) => tokens.includes(e.token)).map((e) => ({ token: e.token, email: e.email }));
    const labels = Object.fromEntries(requests.entries.filter((e) => tokens.includes(e.token)).map((e) => [e.token, e.email || e.token]));
    setBusy(key);
    setError(null);
    try {
      const result = await moderateRequestsAction({ targetId, listId, tab: requests.tab, items, action, reason: action === "reject" ? reason : undefined });
      void queryClient.invalidateQueries({ queryKey: listBadgesKey(targetId, listId) });
      const problem = actionProblem(result);
      if (problem || !result?.data) {
        setError(problem);
        return;
      }
      setOutcome({ title: LABELS[action], results: result.data, labels });
      setSelected((current) => new Set([...current].filter((t) => !tokens.includes(t))));
      if (action === "reject") setReason("");
    } catch {
      setError("The request did not reach the server. Check your connection and try again.");
    } finally {
      setBusy(null);
    }
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
          <div role="group" aria-label="Bulk actions" className="space-y-2 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
            <div className="flex flex-wrap items-center gap-2">
              <span className="text-sm text-slate-700">{chosen.length} selected</span>
              {actions.map((action) => (
                <Button
                  key={action}
                  variant={VARIANTS[action]}
                  disabled={chosen.length === 0 || busy !== null}
                  pending={busy === `bulk-${action}`}
                  onClick={() => void run(action, chosen, `bulk-${action}`)}
                >
                  {LABELS[action]}
                </Button>
              ))}
            </div>
            <TextAreaField
              label="Reason"
              rows={2}
              maxLength={1000}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              help={`Sent with Reject.${canBan ? " Ban adds the address to this list's bans and discards the request without notice." : ""}`}
            />
          </div>
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
                      onChange={() => setSelected(allChosen ? new Set() : new Set(requests.entries.map((e) => e.token)))}
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
                      <td className="px-4 py-2 whitespace-nowrap text-slate-700">{formatCoreDate(entry.when)}</td>
                      <td className="px-4 py-2">
                        <div className="flex justify-end gap-1">
                          {(["accept", "discard", "defer"] as const).map((action) => (
                            <Button
                              key={action}
                              variant={action === "accept" ? "secondary" : "ghost"}
                              className="px-2 py-1 text-xs"
                              aria-label={`${LABELS[action]} ${label}`}
                              disabled={busy !== null}
                              pending={busy === `${action}-${entry.token}`}
                              onClick={() => void run(action, [entry.token], `${action}-${entry.token}`)}
                            >
                              {LABELS[action]}
                            </Button>
                          ))}
                        </div>
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
