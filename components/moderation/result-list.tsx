"use client";

import { Badge } from "@/components/ui/card";
import { summarize, type ItemOutcome, type ItemResult } from "@/lib/moderation/outcome";

const TONES: Record<ItemOutcome, { tone: "emerald" | "amber" | "red"; label: string }> = {
  done: { tone: "emerald", label: "Done" },
  partial: { tone: "amber", label: "Partly done" },
  stale: { tone: "amber", label: "Already handled" },
  failed: { tone: "red", label: "Failed" },
};

/** What a (bulk) decision did, one line per item, so nothing fails silently. */
export function ResultList({ title, results, labels }: { title: string; results: readonly ItemResult[]; labels: Readonly<Record<string, string>> }) {
  const { text, failed, stale } = summarize(results);
  return (
    <section
      aria-label="Results"
      role="status"
      className={`rounded-md p-3 text-sm ring-1 ring-inset ${failed ? "bg-red-50 ring-red-200" : stale ? "bg-amber-50 ring-amber-200" : "bg-emerald-50 ring-emerald-200"}`}
    >
      <p className="font-semibold text-slate-900">
        {title}: {text}
      </p>
      <ul className="mt-2 space-y-1">
        {results.map((r) => (
          <li key={r.id} className="flex flex-wrap items-baseline gap-2" data-testid="result-item">
            <Badge tone={TONES[r.outcome].tone}>{TONES[r.outcome].label}</Badge>
            <span className="font-medium text-slate-900">{labels[r.id] ?? r.id}</span>
            <span className="text-slate-700">{r.message}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
