"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/card";
import { cn } from "@/lib/cn";
import type { Preflight } from "@/lib/members/mass-operations";

export interface PredictionStyle {
  label: string;
  tone: "slate" | "indigo" | "emerald" | "amber" | "red";
}

const PAGE = 50;

/**
 * What the preflight says will happen to each address, before anything is sent: counts that
 * double as filters, then the addresses, 50 at a time; invalid lines and duplicates below.
 */
const POLICY_TEXT: Record<string, string> = {
  open: "open",
  confirm: "the person confirms",
  moderate: "a moderator approves",
  confirm_then_moderate: "the person confirms, then a moderator approves",
};

export function PreflightTable<P extends string>({ preflight, styles }: { preflight: Preflight<P>; styles: Record<P, PredictionStyle> }) {
  const [filter, setFilter] = useState<P | null>(null);
  const [page, setPage] = useState(1);
  const rows = filter ? preflight.rows.filter((r) => r.prediction === filter) : preflight.rows;
  const pageCount = Math.max(1, Math.ceil(rows.length / PAGE));
  const shown = rows.slice((page - 1) * PAGE, page * PAGE);
  const choose = (next: P | null) => {
    setFilter(next);
    setPage(1);
  };

  return (
    <div className="space-y-3">
      <div role="group" aria-label="Filter the preview" className="flex flex-wrap gap-2 text-sm">
        <button type="button" onClick={() => choose(null)} aria-pressed={filter === null} className={chip(filter === null)}>
          All {preflight.rows.length.toLocaleString("en")}
        </button>
        {(Object.keys(styles) as P[]).map((p) =>
          preflight.counts[p] > 0 ? (
            <button key={p} type="button" onClick={() => choose(p)} aria-pressed={filter === p} className={chip(filter === p)} data-testid={`preflight-count-${p}`}>
              {styles[p].label}: {preflight.counts[p].toLocaleString("en")}
            </button>
          ) : null,
        )}
      </div>
      {preflight.policy ? (
        <p className="text-xs text-slate-600" data-testid="preflight-policy">
          Predicted from the list&apos;s subscription policy ({POLICY_TEXT[preflight.policy] ?? preflight.policy}) and the options above.
          {preflight.note ? ` ${preflight.note}` : ""}
        </p>
      ) : null}

      {shown.length > 0 ? (
        <div className="overflow-x-auto rounded-lg bg-white ring-1 ring-slate-200">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">What will happen to each address</caption>
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">Line</th>
                <th scope="col" className="px-3 py-2">Address</th>
                <th scope="col" className="px-3 py-2">Name</th>
                <th scope="col" className="px-3 py-2">Will be</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {shown.map((row) => (
                <tr key={row.line}>
                  <td className="px-3 py-1.5 tabular-nums text-slate-500">{row.line}</td>
                  <td className="px-3 py-1.5 font-mono break-all">{row.email}</td>
                  <td className="px-3 py-1.5">{row.displayName ?? <span className="text-slate-400">—</span>}</td>
                  <td className="px-3 py-1.5">
                    <Badge tone={styles[row.prediction].tone}>{styles[row.prediction].label}</Badge>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {pageCount > 1 ? (
        <nav aria-label="Preview pages" className="flex items-center gap-3 text-sm">
          <button type="button" className="text-indigo-700 disabled:text-slate-400" disabled={page === 1} onClick={() => setPage(page - 1)}>
            ← Previous
          </button>
          <span>
            Page {page} of {pageCount}
          </span>
          <button type="button" className="text-indigo-700 disabled:text-slate-400" disabled={page === pageCount} onClick={() => setPage(page + 1)}>
            Next →
          </button>
        </nav>
      ) : null}

      {preflight.invalid.length > 0 ? (
        <details open={preflight.invalid.length <= 20} className="rounded-md bg-red-50 p-3 text-sm ring-1 ring-red-200">
          <summary className="cursor-pointer font-medium text-red-900">
            {preflight.invalid.length.toLocaleString("en")} invalid {preflight.invalid.length === 1 ? "line" : "lines"}: reported as invalid, never sent
          </summary>
          <ul className="mt-2 space-y-1">
            {preflight.invalid.slice(0, 200).map((entry) => (
              <li key={entry.line}>
                Line {entry.line}: <span className="font-mono break-all">{entry.raw}</span> — {entry.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {preflight.duplicates.length > 0 ? (
        <details className="rounded-md bg-amber-50 p-3 text-sm ring-1 ring-amber-200">
          <summary className="cursor-pointer font-medium text-amber-900">
            {preflight.duplicates.length.toLocaleString("en")} {preflight.duplicates.length === 1 ? "duplicate" : "duplicates"} ignored (same address, any case)
          </summary>
          <ul className="mt-2 space-y-1">
            {preflight.duplicates.slice(0, 200).map((entry) => (
              <li key={entry.line}>
                Line {entry.line}: <span className="font-mono break-all">{entry.email}</span> repeats line {entry.firstLine}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

function chip(active: boolean) {
  return cn("rounded-full px-3 py-1 font-medium", active ? "bg-indigo-600 text-white" : "bg-white text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50");
}
