"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { actionProblem, OFFLINE_MESSAGE } from "@/components/forms/action-result";
import { Button } from "@/components/ui/button";
import { runQueuedNowAction } from "./actions";

/** "Run queued jobs now": the queue run of a queue-mode server, without waiting for the minute. */
export function RunQueuedNowButton({ targetId, waiting }: { targetId: number; waiting: number }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  return (
    <span className="inline-flex flex-col items-start gap-1">
      <Button
        variant="secondary"
        pending={pending}
        disabled={waiting === 0}
        onClick={async () => {
          setPending(true);
          setMessage(null);
          try {
            const result = await runQueuedNowAction({ targetId });
            const failure = actionProblem(result);
            if (failure) setMessage({ tone: "error", text: failure.message });
            else {
              const n = result?.data?.count ?? 0;
              setMessage({ tone: "ok", text: n === 0 ? "No job was waiting for the queue run." : `${n} ${n === 1 ? "job runs" : "jobs run"} now.` });
              router.refresh();
            }
          } catch {
            setMessage({ tone: "error", text: OFFLINE_MESSAGE });
          } finally {
            setPending(false);
          }
        }}
      >
        Run queued jobs now
      </Button>
      {message ? (
        <span role={message.tone === "error" ? "alert" : "status"} className={message.tone === "error" ? "text-xs text-red-700" : "text-xs text-slate-600"}>
          {message.text}
        </span>
      ) : null}
    </span>
  );
}
