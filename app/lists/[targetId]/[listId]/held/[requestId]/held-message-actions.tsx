"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { listBadgesKey } from "@/components/list-badges";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TextAreaField } from "@/components/ui/field";
import type { HeldAction } from "@/lib/mailman/held";
import type { ItemResult } from "@/lib/moderation/outcome";
import { acceptAndAlwaysAcceptAction, discardAndBanAction, moderateHeldAction } from "../actions";
import { actionProblem } from "../result-list";

type Choice = HeldAction | "accept-always" | "discard-ban";

interface Props {
  targetId: number;
  listId: string;
  requestId: number;
  sender: string;
  queuePath: string;
  canBan: boolean;
}

/** The decisions on one held message. Once one is made, the message is gone from the queue. */
export function HeldMessageActions({ targetId, listId, requestId, sender, queuePath, canBan }: Props) {
  const [reason, setReason] = useState("");
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState<Choice | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ choice: Choice; item: ItemResult } | null>(null);

  async function run(choice: Choice) {
    setBusy(choice);
    setError(null);
    const ref = { targetId, listId, requestId };
    try {
      let answer: { data?: ItemResult | ItemResult[]; serverError?: { message: string }; validationErrors?: unknown } | undefined;
      if (choice === "accept-always") answer = await acceptAndAlwaysAcceptAction(ref);
      else if (choice === "discard-ban") answer = await discardAndBanAction(ref);
      else answer = await moderateHeldAction({ targetId, listId, requestIds: [requestId], action: choice, reason: choice === "reject" ? reason : undefined });
      void queryClient.invalidateQueries({ queryKey: listBadgesKey(targetId, listId) });
      const problem = actionProblem(answer);
      if (problem || !answer?.data) {
        setError(problem);
        return;
      }
      const item = Array.isArray(answer.data) ? answer.data[0] : answer.data;
      if (!item) return;
      if (item.outcome === "failed") setError(item.message);
      else setResult({ choice, item });
    } catch {
      setError("The request did not reach the server. Check your connection and try again.");
    } finally {
      setBusy(null);
    }
  }

  // A deferred message stays held, so the moderator may still decide; anything else ends here.
  const finished = result !== null && !(result.choice === "defer" && result.item.outcome === "done");
  return (
    <Card title="Decision">
      {result ? (
        <Alert tone={result.item.outcome === "done" ? "success" : "warning"} className="mb-3">
          {result.item.message}{" "}
          <Link href={queuePath} className="font-medium underline">
            Back to held messages
          </Link>
        </Alert>
      ) : null}
      {error ? (
        <Alert tone="error" className="mb-3">
          {error}
        </Alert>
      ) : null}
      {finished ? null : (
        <div className="space-y-3">
          <div className="flex flex-wrap gap-2">
            <Button pending={busy === "accept"} disabled={busy !== null} onClick={() => void run("accept")}>
              Accept
            </Button>
            <Button variant="secondary" pending={busy === "reject"} disabled={busy !== null} onClick={() => void run("reject")}>
              Reject
            </Button>
            <Button variant="danger" pending={busy === "discard"} disabled={busy !== null} onClick={() => void run("discard")}>
              Discard
            </Button>
            <Button variant="secondary" pending={busy === "defer"} disabled={busy !== null} onClick={() => void run("defer")}>
              Defer
            </Button>
          </div>
          <TextAreaField
            label="Reason"
            rows={3}
            maxLength={1000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            help="Sent to the sender with Reject. Leave empty for Mailman's default text."
          />
          {sender ? (
            <div className="flex flex-wrap gap-2 border-t border-slate-100 pt-3">
              <Button variant="secondary" pending={busy === "accept-always"} disabled={busy !== null} onClick={() => void run("accept-always")}>
                Accept and always accept sender
              </Button>
              {canBan ? (
                <Button variant="danger" pending={busy === "discard-ban"} disabled={busy !== null} onClick={() => void run("discard-ban")}>
                  Discard and ban sender
                </Button>
              ) : null}
            </div>
          ) : null}
        </div>
      )}
    </Card>
  );
}
