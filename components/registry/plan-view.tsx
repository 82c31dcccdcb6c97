"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/card";
import { isEmptySummary, pageOf, type PlanLine, type PlanSummary } from "@/lib/registry/plan-summary";

const PER_PAGE = 25;

/**
 * A dry-run plan (lib/registry/plan-summary.ts) as the console shows it: counts on top, then per
 * list and role the addresses to add and to remove, people whose Mailman user is created or
 * changed, list operations and conflicts, each with its reason; long parts are paged.
 */
export function PlanView({ summary, jobCount }: { summary: PlanSummary; jobCount: number }) {
  const c = summary.counts;
  if (jobCount === 0) {
    return (
      <p className="text-sm text-slate-700" data-testid="plan-empty">
        Nothing would be queued: the server&apos;s provisioning mode (manual or disabled) or the change itself starts no run.
      </p>
    );
  }
  return (
    <div className="space-y-4" data-testid="plan-view">
      <ul className="flex flex-wrap gap-2 text-sm" aria-label="Plan counts">
        <li><Badge tone="emerald">{c.add} to add</Badge></li>
        <li><Badge tone="red">{c.remove} to remove</Badge></li>
        <li><Badge tone="indigo">{c.createUser} users to create</Badge></li>
        <li><Badge tone="slate">{c.update} updates</Badge></li>
        {c.deleteUser ? <li><Badge tone="red">{c.deleteUser} users to delete</Badge></li> : null}
        {c.list ? <li><Badge tone="amber">{c.list} list operations</Badge></li> : null}
        {c.conflict ? <li><Badge tone="amber">{c.conflict} conflicts</Badge></li> : null}
      </ul>
      {isEmptySummary(summary) ? <p className="text-sm text-slate-700" data-testid="plan-nothing">Mailman already matches the registry: nothing would change.</p> : null}
      {summary.listOps.length > 0 ? <PlanPart title="Lists" lines={summary.listOps} testId="plan-lists" /> : null}
      {summary.sections.map((s) => (
        <section key={s.key} className="space-y-2 rounded-md ring-1 ring-slate-200 p-3" data-testid="plan-section">
          <h3 className="text-sm font-semibold text-slate-900">
            {s.list} <span className="font-normal text-slate-600">· {s.role}s</span>
          </h3>
          {s.add.length > 0 ? <PlanPart title={`Add (${s.add.length})`} lines={s.add} testId="plan-add" /> : null}
          {s.remove.length > 0 ? <PlanPart title={`Remove (${s.remove.length})`} lines={s.remove} testId="plan-remove" /> : null}
        </section>
      ))}
      {summary.createUsers.length > 0 ? <PlanPart title={`Mailman users to create (${summary.createUsers.length})`} lines={summary.createUsers} testId="plan-create-users" /> : null}
      {summary.updates.length > 0 ? <PlanPart title={`Updates (${summary.updates.length})`} lines={summary.updates} testId="plan-updates" /> : null}
      {summary.deleteUsers.length > 0 ? <PlanPart title={`Mailman users to delete (${summary.deleteUsers.length})`} lines={summary.deleteUsers} testId="plan-delete-users" /> : null}
      {summary.conflicts.length > 0 ? <PlanPart title={`Conflicts (${summary.conflicts.length})`} lines={summary.conflicts} testId="plan-conflicts" /> : null}
    </div>
  );
}

function PlanPart({ title, lines, testId }: { title: string; lines: readonly PlanLine[]; testId: string }) {
  const [page, setPage] = useState(1);
  const view = pageOf(lines, page, PER_PAGE);
  return (
    <div data-testid={testId}>
      <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-600">{title}</h4>
      <div className="overflow-x-auto">
        <table className="mt-1 min-w-full text-sm">
          <thead className="sr-only">
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Person</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {view.items.map((l, i) => (
              <tr key={`${l.op}-${l.email}-${l.personId}-${i}`}>
                <td className="py-1 pr-3 font-mono text-xs break-all">{l.email ?? "—"}</td>
                <td className="py-1 pr-3">{l.person ?? ""}</td>
                <td className="py-1 text-slate-700">{l.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {view.pageCount > 1 ? (
        <nav aria-label={`${title} pages`} className="mt-1 flex items-center gap-3 text-sm">
          <button type="button" className="text-indigo-700 disabled:text-slate-400" disabled={view.page <= 1} onClick={() => setPage(view.page - 1)}>
            ← Previous
          </button>
          <span className="text-slate-600">
            Page {view.page} of {view.pageCount}
          </span>
          <button type="button" className="text-indigo-700 disabled:text-slate-400" disabled={view.page >= view.pageCount} onClick={() => setPage(view.page + 1)}>
            Next →
          </button>
        </nav>
      ) : null}
    </div>
  );
}
