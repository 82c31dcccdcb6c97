"use client";

import { useEffect, useState } from "react";
import { actionProblem, type SafeActionResultShape } from "@/components/forms/action-result";

export interface JobStatus {
  id: number;
  targetId: number;
  status: string;
  attempts: number;
  lastError: string | null;
  items: number;
  errors: string[];
}

type StatusAction = (input: { ids: number[] }) => Promise<SafeActionResultShape<JobStatus[]> | undefined>;

const DONE = new Set(["succeeded", "partial", "failed"]);

/**
 * The provisioning jobs a change queued, polled once a second until each has finished (a small
 * status read of lib/api/v1.ts `jobById` through a server action), with a link to the server's
 * sync page for the details.
 */
export function JobProgress({ ids, statusAction, onDone }: { ids: number[]; statusAction: StatusAction; onDone?: () => void }) {
  const [jobs, setJobs] = useState<JobStatus[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = ids.join(",");
  useEffect(() => {
    if (ids.length === 0) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const result = await statusAction({ ids });
      if (stopped) return;
      const problem = actionProblem(result);
      if (problem || !result?.data) setError(problem?.message ?? "No answer.");
      else {
        setError(null);
        setJobs(result.data);
        if (result.data.every((j) => DONE.has(j.status))) {
          onDone?.();
          return;
        }
      }
      timer = setTimeout(tick, 1000);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the ids' value, not the array's identity
  }, [key]);
  if (ids.length === 0) return <p className="text-sm text-slate-700" data-testid="jobs-none">No provisioning run was queued.</p>;
  return (
    <div className="space-y-1 text-sm" aria-live="polite" data-testid="job-progress">
      {error ? <p className="text-red-700">{error}</p> : null}
      {(jobs ?? ids.map((id) => ({ id, status: "queued" }) as JobStatus)).map((j) => (
        <p key={j.id} data-testid="job-status" data-status={j.status}>
          Run {j.id}: <strong>{j.status}</strong>
          {j.items ? `, ${j.items} item${j.items === 1 ? "" : "s"}` : ""}
          {j.attempts > 1 ? ` (attempt ${j.attempts})` : ""}
          {j.lastError ? ` — ${j.lastError}` : ""}
          {j.targetId ? (
            <>
              {" "}
              <a className="text-indigo-700 hover:underline" href={`/admin/targets/${j.targetId}/sync/jobs/${j.id}`}>
                details
              </a>
            </>
          ) : null}
          {j.errors?.length ? <span className="block text-red-700">{j.errors.join("; ")}</span> : null}
        </p>
      ))}
    </div>
  );
}
