"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { listBadgesKey } from "@/components/list-badges";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TextAreaField } from "@/components/ui/field";
import type { HeldAction } from "@/lib/mailman/held";
import { heldNoticeHref } from "@/lib/moderation/held-notice";
import type { ItemResult } from "@/lib/moderation/outcome";
import { acceptAndAlwaysAcceptAction, discardAndBanAction, moderateHeldAction } from "../actions";
import { actionProblem, OFFLINE_MESSAGE, type SafeActionResultShape } from "@/components/forms/action-result";

type Choice = HeldAction | "accept-always" | "discard-ban";

interface Props {
  targetId: number;
  listId: string;
  requestId: number;
  subject: string;
  sender: string;
  queuePath: string;
  canBan: boolean;
}

/**
 * The decisions on one held message. Once one is made, the message is gone from the queue, and so
 * is this page: it goes back to the queue, which says what was done. Failures, and a deferral
 * (the message stays held), are shown here.
 */
export function HeldMessageActions({ targetId, listId, requestId, subject, sender, queuePath, canBan }: Props) {
  const [reason, setReason] = useState("");
  const router = useRouter();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState<Choice | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [deferred, setDeferred] = useState<ItemResult | null>(null);
  const [leaving, setLeaving] = useState(false);
  const locked = busy !== null || leaving;

  async function run(choice: Choice) {
    setBusy(choice);
    setError(null);
    setDeferred(null);
    const ref = { targetId, listId, requestId, from: "message" as const };
    try {
      let answer: SafeActionResultShape<ItemResult | ItemResult[]> | undefined;
      if (choice === "accept-always") answer = await acceptAndAlwaysAcceptAction(ref);
      else if (choice === "discard-ban") answer = await discardAndBanAction(ref);
      else answer = await moderateHeldAction({ targetId, listId, requestIds: [requestId], action: choice, reason: choice === "reject" ? reason : undefined, from: "message" });
      void queryClient.invalidateQueries({ queryKey: listBadgesKey(targetId, listId) });
      if (!answer?.data) {
        setError(actionProblem(answer)?.message ?? "No answer from the server. Try again.");
        return;
      }
      const item = Array.isArray(answer.data) ? answer.data[0] : answer.data;
      if (!item) return;
      if (item.outcome === "failed") setError(item.message);
      else if (choice === "defer" && item.outcome === "done") setDeferred(item);
      else {
        // Replaced in the history too: going back should not land on a message that is gone. The
        // buttons stay disabled until the queue is shown.
        setLeaving(true);
        const kind = choice === "defer" || item.outcome === "stale" ? "stale" : choice;
        router.replace(heldNoticeHref(queuePath, { kind, partial: item.outcome === "partial", subject, sender }));
      }
    } catch {
      setError(OFFLINE_MESSAGE);
    } finally {
      setBusy(null);
    }
  }

  return (
    <Card title="Decision">
      {/* A deferred message stays held, so the moderator may still decide. */}
      {deferred ? (
        <Alert tone="success" className="mb-3">
          {deferred.message}{" "}
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
      <div className="space-y-3">
        <div className="flex flex-wrap gap-2">
          <Button pending={busy === "accept"} disabled={locked} onClick={() => void run("accept")}>
            Accept
          </Button>
          <Button variant="secondary" pending={busy === "reject"} disabled={locked} onClick={() => void run("reject")}>
            Reject
          </Button>
          <Button variant="danger" pending={busy === "discard"} disabled={locked} onClick={() => void run("discard")}>
            Discard
          </Button>
          <Button variant="secondary" pending={busy === "defer"} disabled={locked} onClick={() => void run("defer")}>
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
            <Button variant="secondary" pending={busy === "accept-always"} disabled={locked} onClick={() => void run("accept-always")}>
              Accept and always accept sender
            </Button>
            {canBan ? (
              <Button variant="danger" pending={busy === "discard-ban"} disabled={locked} onClick={() => void run("discard-ban")}>
                Discard and ban sender
              </Button>
            ) : null}
          </div>
        ) : null}
      </div>
    </Card>
  );
}
