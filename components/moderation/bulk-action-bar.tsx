"use client";

import { Button } from "@/components/ui/button";
import { TextAreaField } from "@/components/ui/field";

export interface BulkAction<A extends string> {
  action: A;
  label: string;
  variant: "primary" | "secondary" | "danger";
}

/** The bar above a moderation queue: how many rows are selected, one button per decision, the reason. */
export function BulkActionBar<A extends string>({
  count,
  actions,
  busy,
  onAction,
  reason,
  onReason,
  reasonHelp,
}: {
  count: number;
  actions: readonly BulkAction<A>[];
  busy: string | null;
  onAction: (action: A) => void;
  reason: string;
  onReason: (reason: string) => void;
  reasonHelp: string;
}) {
  return (
    <div role="group" aria-label="Bulk actions" className="space-y-2 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-sm text-slate-700">{count} selected</span>
        {actions.map(({ action, label, variant }) => (
          <Button key={action} variant={variant} disabled={count === 0 || busy !== null} pending={busy === `bulk-${action}`} onClick={() => onAction(action)}>
            {label}
          </Button>
        ))}
      </div>
      <TextAreaField label="Reason" rows={2} maxLength={1000} value={reason} onChange={(e) => onReason(e.target.value)} help={reasonHelp} />
    </div>
  );
}

/** Accept / Discard / Defer on one row of a moderation queue; `label` names the row for screen readers. */
export function RowDecisions<A extends "accept" | "discard" | "defer">({
  rowKey,
  label,
  names,
  busy,
  onDecide,
}: {
  rowKey: string | number;
  label: string;
  names: Record<A, string>;
  busy: string | null;
  onDecide: (action: A, key: string) => void;
}) {
  return (
    <div className="flex justify-end gap-1">
      {(Object.keys(names) as A[]).map((action) => (
        <Button
          key={action}
          variant={action === "accept" ? "secondary" : "ghost"}
          className="px-2 py-1 text-xs"
          aria-label={`${names[action]} ${label}`}
          disabled={busy !== null}
          pending={busy === `${action}-${rowKey}`}
          onClick={() => onDecide(action, `${action}-${rowKey}`)}
        >
          {names[action]}
        </Button>
      ))}
    </div>
  );
}
