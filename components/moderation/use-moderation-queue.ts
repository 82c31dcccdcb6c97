"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { actionProblem, OFFLINE_MESSAGE, type SafeActionResultShape } from "@/components/forms/action-result";
import { listBadgesKey } from "@/components/list-badges";
import type { ItemResult } from "@/lib/moderation/outcome";

export interface QueueOutcome {
  title: string;
  results: ItemResult[];
  labels: Record<string, string>;
}

/**
 * Selection, the reject reason, and running a decision on some rows of a moderation queue (held
 * messages, requests): one decision at a time, a result per item, the list's badges refreshed.
 * Rows handled meanwhile drop out of the selection when the page refreshes.
 */
export function useModerationQueue<Id extends string | number>({ targetId, listId, ids }: { targetId: number; listId: string; ids: readonly Id[] }) {
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<Set<Id>>(new Set());
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<QueueOutcome | null>(null);

  const visible = useMemo(() => new Set(ids), [ids]);
  const chosen = [...selected].filter((id) => visible.has(id));
  const allChosen = ids.length > 0 && chosen.length === ids.length;

  function toggle(id: Id) {
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  const toggleAll = () => setSelected(allChosen ? new Set() : new Set(ids));

  /** `key` names the button that shows the spinner; `send` calls the server action. */
  async function run(decision: {
    ids: readonly Id[];
    key: string;
    title: string;
    labels: Record<string, string>;
    clearsReason: boolean;
    send: () => Promise<SafeActionResultShape<ItemResult[]> | undefined>;
  }) {
    if (decision.ids.length === 0) return;
    setBusy(decision.key);
    setError(null);
    try {
      const result = await decision.send();
      void queryClient.invalidateQueries({ queryKey: listBadgesKey(targetId, listId) });
      if (!result?.data) {
        setError(actionProblem(result)?.message ?? "No answer from the server. Try again.");
        return;
      }
      setOutcome({ title: decision.title, results: result.data, labels: decision.labels });
      setSelected((current) => new Set([...current].filter((id) => !decision.ids.includes(id))));
      if (decision.clearsReason) setReason("");
    } catch {
      setError(OFFLINE_MESSAGE);
    } finally {
      setBusy(null);
    }
  }

  return { selected, chosen, allChosen, toggle, toggleAll, reason, setReason, busy, error, outcome, run };
}
