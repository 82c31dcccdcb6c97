"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { actionProblem, type SafeActionResultShape } from "@/components/forms/action-result";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { PlanSummary } from "@/lib/registry/plan-summary";
import { JobProgress, type JobStatus } from "./job-progress";
import { PlanView } from "./plan-view";

type PlanResult = SafeActionResultShape<{ summary: PlanSummary; jobCount: number }> | undefined;
type ApplyResult = SafeActionResultShape<{ jobIds?: number[]; message?: string; id?: number } | void> | undefined;

/**
 * "Plan before acting": the first button shows the dry-run plan of what the change would queue;
 * only then can it be applied (behind a typed confirmation when `confirmText` is set), and the
 * runs it queued are followed on the page. `plan` and `apply` are server actions bound by the page.
 */
export function PlanThenAct({
  planLabel = "Show plan",
  applyLabel,
  plan,
  apply,
  statusAction,
  confirmText,
  danger = false,
  doneLink,
  disabled = false,
  onBeforePlan,
}: {
  planLabel?: string;
  applyLabel: string;
  plan: () => Promise<PlanResult>;
  apply: (typed: string) => Promise<ApplyResult>;
  statusAction: (input: { ids: number[] }) => Promise<SafeActionResultShape<JobStatus[]> | undefined>;
  confirmText?: string;
  danger?: boolean;
  /** After a delete the page's object is gone: no refresh, a link onwards instead. */
  doneLink?: (data: { jobIds?: number[]; id?: number }) => { href: string; label: string };
  disabled?: boolean;
  /** Checked before planning (a form's own validation); a message stops it. */
  onBeforePlan?: () => string | null;
}) {
  const router = useRouter();
  const inputId = useId();
  const [planned, setPlanned] = useState<{ summary: PlanSummary; jobCount: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<"plan" | "apply" | null>(null);
  const [typed, setTyped] = useState("");
  const [applied, setApplied] = useState<{ jobIds: number[]; message?: string; link?: { href: string; label: string } } | null>(null);

  async function showPlan() {
    const stop = onBeforePlan?.();
    if (stop) return setError(stop);
    setPending("plan");
    setError(null);
    setApplied(null);
    try {
      const result = await plan();
      const problem = actionProblem(result);
      if (problem || !result?.data) return setError(problem?.message ?? "No plan came back.");
      setPlanned(result.data);
    } finally {
      setPending(null);
    }
  }

  async function doApply() {
    setPending("apply");
    setError(null);
    try {
      const result = await apply(typed);
      const problem = actionProblem(result);
      if (problem) return setError(problem.message);
      const data = (result?.data ?? {}) as { jobIds?: number[]; message?: string; id?: number };
      setApplied({ jobIds: data.jobIds ?? [], message: data.message, link: doneLink?.(data) });
      setPlanned(null);
      setTyped("");
      if (!doneLink) router.refresh();
    } finally {
      setPending(null);
    }
  }

  const confirmed = !confirmText || typed.trim() === confirmText;
  return (
    <div className="space-y-3">
      <Button variant="secondary" onClick={showPlan} pending={pending === "plan"} disabled={disabled}>
        {planLabel}
      </Button>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {planned ? (
        <div className="space-y-3 rounded-md bg-slate-50 p-3">
          <PlanView summary={planned.summary} jobCount={planned.jobCount} />
          {confirmText ? (
            <div className="space-y-1">
              <label htmlFor={inputId} className="block text-sm font-medium text-slate-800">
                Type <strong className="font-mono">{confirmText}</strong> to confirm
              </label>
              <input id={inputId} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" className="block w-full rounded-md px-3 py-2 text-sm ring-1 ring-inset ring-slate-300" />
            </div>
          ) : null}
          <div className="flex gap-2">
            <Button variant={danger ? "danger" : "primary"} onClick={doApply} pending={pending === "apply"} disabled={!confirmed}>
              {applyLabel}
            </Button>
            <Button variant="ghost" onClick={() => setPlanned(null)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : null}
      {applied ? (
        <div className="space-y-2" role="status">
          <p className="text-sm text-emerald-800">{applied.message ?? "Done."}</p>
          <JobProgress ids={applied.jobIds} statusAction={statusAction} />
          {applied.link ? (
            <a href={applied.link.href} className="text-sm text-indigo-700 hover:underline">
              {applied.link.label}
            </a>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
