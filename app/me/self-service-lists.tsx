"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { actionProblem } from "@/components/forms/action-result";
import { Button } from "@/components/ui/button";
import type { SelfServiceEntry } from "@/lib/self-service/self-service-lists";
import { selfServiceListsAction, selfServiceToggleAction } from "./actions";

const KEY = ["self-service-lists"] as const;

function stateText(e: SelfServiceEntry): string {
  if (e.sync === "syncing") return e.subscribed ? "Subscribing…" : "Unsubscribing…";
  if (e.sync === "failed") return e.subscribed ? "Not subscribed yet: the sync failed" : "Still subscribed: the sync failed";
  if (e.subscribed) return "Subscribed";
  return e.subscribed === false ? "Not subscribed" : "Not subscribed (no choice made yet)";
}

/**
 * Self-service lists the account's people may join: an opt-in toggle whose sync runs at once;
 * the row says "Subscribing…" and polls every second until the run has ended.
 */
export function SelfServiceLists({ initial }: { initial: SelfServiceEntry[] }) {
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<Record<number, string>>({});
  const { data } = useQuery({
    queryKey: KEY,
    queryFn: async () => {
      const result = await selfServiceListsAction({});
      if (!result?.data) throw new Error(actionProblem(result)?.message ?? "No answer from the server.");
      return result.data;
    },
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.some((e) => e.sync === "syncing") ? 1000 : false),
  });
  const mutation = useMutation({
    mutationFn: async (input: { emailListId: number; subscribed: boolean }) => {
      const result = await selfServiceToggleAction(input);
      const problem = actionProblem(result);
      if (problem || !result?.data) throw new Error(problem?.message ?? "No answer from the server.");
      return result.data;
    },
    onMutate: (input) => {
      setProblems((p) => ({ ...p, [input.emailListId]: "" }));
      queryClient.setQueryData<SelfServiceEntry[]>(KEY, (old) => old?.map((e) => (e.emailListId === input.emailListId ? { ...e, subscribed: input.subscribed, sync: "syncing", syncError: null } : e)));
    },
    onError: (error, input) => setProblems((p) => ({ ...p, [input.emailListId]: error.message })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
  const lists = data ?? initial;
  // When a run ends, the Mailman list's own row in "My lists" is read again to show the new state.
  const syncing = lists.filter((e) => e.sync === "syncing").length;
  const before = useRef(syncing);
  useEffect(() => {
    if (syncing < before.current) void queryClient.invalidateQueries({ queryKey: ["my-lists"] });
    before.current = syncing;
  }, [syncing, queryClient]);
  if (lists.length === 0) return null;
  return (
    <section aria-labelledby="self-service-heading" className="space-y-2">
      <h2 id="self-service-heading" className="text-lg font-semibold text-slate-900">
        Lists you may join
      </h2>
      <p className="text-sm text-slate-600">Lists your organisation lets you choose yourself. Your choice reaches the mail server within seconds; leaving sends no goodbye mail.</p>
      <ul className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200" data-testid="self-service-lists">
        {lists.map((e) => {
          const busy = mutation.isPending && mutation.variables?.emailListId === e.emailListId;
          const on = e.subscribed === true;
          return (
            <li key={e.emailListId} className="flex flex-wrap items-start justify-between gap-3 p-4" data-testid="self-service-list" data-name={e.name}>
              <div className="min-w-0">
                <p className="font-medium text-slate-900">
                  {e.name} <span className="text-sm font-normal text-slate-500">{e.fqdn ?? e.targetName}</span>
                </p>
                {e.description ? <p className="text-sm text-slate-600">{e.description}</p> : null}
                <p className="mt-1 text-sm" role="status" data-testid="self-service-state">
                  {stateText(e)}
                </p>
                {e.sync === "failed" && e.syncError ? <p className="text-sm text-red-700">{e.syncError}</p> : null}
                {problems[e.emailListId] ? (
                  <p role="alert" className="text-sm text-red-700">
                    {problems[e.emailListId]}
                  </p>
                ) : null}
              </div>
              <Button
                variant={on ? "secondary" : "primary"}
                role="switch"
                aria-checked={on}
                aria-label={`Subscribed to ${e.name}`}
                pending={busy}
                disabled={e.sync === "syncing"}
                onClick={() => mutation.mutate({ emailListId: e.emailListId, subscribed: !on })}
              >
                {on ? "Opt out" : "Opt in"}
              </Button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
