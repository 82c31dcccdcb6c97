"use client";

import { useState } from "react";
import { actionProblem, OFFLINE_MESSAGE } from "@/components/forms/action-result";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import type { ImportRoleResult, ImportRoleState } from "@/lib/members/import-roles";
import { applyImportRolesAction } from "./import-roles-actions";

/** Step two of a Google Groups import: make its owners and managers owners and moderators, each reported. */
export function ImportRoles({ targetId, listId, jobId, roles, jobEnded }: { targetId: number; listId: string; jobId: number; roles: ImportRoleState[]; jobEnded: boolean }) {
  const [results, setResults] = useState<ImportRoleResult[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const toAdd = roles.filter((r) => !r.already).length;

  async function apply() {
    setPending(true);
    setProblem(null);
    try {
      const result = await applyImportRolesAction({ targetId, listId, jobId });
      if (result?.data) setResults(result.data);
      else setProblem(actionProblem(result)?.message ?? "The request was not understood.");
    } catch {
      setProblem(OFFLINE_MESSAGE);
    } finally {
      setPending(false);
    }
  }

  const rows = results ?? roles.map((r) => ({ ...r, outcome: r.already ? ("already" as const) : null, message: r.already ? `Already ${r.role === "owner" ? "an owner" : "a moderator"}.` : "To add" }));
  return (
    <Card title="Owners and moderators from the Google Groups export" description="A separate step after the subscriptions: each address gets the role through the same check as adding it by hand.">
      <ul className="mb-3 space-y-1 text-sm" data-testid="import-roles">
        {rows.map((r) => (
          <li key={`${r.email}:${r.role}`} className="flex flex-wrap items-center gap-2">
            <span className="font-mono">{r.email}</span>
            <Badge tone="indigo">{r.role === "owner" ? "Owner" : "Moderator"}</Badge>
            <span className={r.outcome === "failed" ? "text-red-700" : "text-slate-600"}>{r.message}</span>
          </li>
        ))}
      </ul>
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      {!results && toAdd > 0 ? (
        <Button type="button" onClick={() => void apply()} pending={pending} disabled={!jobEnded}>
          Add {toAdd} {toAdd === 1 ? "role" : "roles"}
        </Button>
      ) : null}
      {!jobEnded ? <p className="mt-2 text-xs text-slate-500">Available once the job has finished (reload the page then).</p> : null}
    </Card>
  );
}
