"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { actionProblem, OFFLINE_MESSAGE } from "@/components/forms/action-result";
import { Button } from "@/components/ui/button";
import { CONFLICT_ACTION_HELP, type ConflictAction } from "@/lib/provisioning/sync-summary";
import { resolveConflictAction } from "./actions";

const LABEL: Record<ConflictAction, string> = { adopt: "Adopt", absorb: "Absorb", ignore: "Ignore" };

/** The resolutions the target allows for one conflict; each queues the person's run (except ignore). */
export function ConflictActions({ id, email, actions, targetId }: { id: number; email: string; actions: ConflictAction[]; targetId: number }) {
  const router = useRouter();
  const [pending, setPending] = useState<ConflictAction | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<{ action: ConflictAction; jobIds: number[] } | null>(null);
  if (done) {
    return (
      <p role="status" className="text-sm text-emerald-800">
        Resolved ({done.action}).{" "}
        {done.jobIds.length > 0 ? (
          <a href={`/admin/targets/${targetId}/sync/jobs/${done.jobIds[0]}`} className="text-indigo-700 hover:underline">
            Follow the run
          </a>
        ) : null}
      </p>
    );
  }
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        {actions.map((a) => (
          <Button
            key={a}
            variant={a === "ignore" ? "ghost" : a === "adopt" ? "primary" : "secondary"}
            pending={pending === a}
            disabled={pending !== null}
            title={CONFLICT_ACTION_HELP[a]}
            aria-label={`${LABEL[a]} (${email})`}
            onClick={async () => {
              setPending(a);
              setProblem(null);
              try {
                const result = await resolveConflictAction({ id, action: a });
                const failure = actionProblem(result);
                if (failure || !result?.data) setProblem(failure?.message ?? "No answer from the server.");
                else {
                  setDone({ action: a, jobIds: result.data.jobIds });
                  router.refresh();
                }
              } catch {
                setProblem(OFFLINE_MESSAGE);
              } finally {
                setPending(null);
              }
            }}
          >
            {LABEL[a]}
          </Button>
        ))}
      </div>
      <ul className="text-xs text-slate-600">
        {actions.map((a) => (
          <li key={a}>
            <span className="font-medium">{LABEL[a]}:</span> {CONFLICT_ACTION_HELP[a]}
          </li>
        ))}
      </ul>
      {problem ? (
        <p role="alert" className="text-sm text-red-700">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
