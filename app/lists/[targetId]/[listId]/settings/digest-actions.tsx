"use client";

import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import type { DigestInfo } from "@/lib/mailman/list-settings";
import { digestAction } from "./actions";

const DONE = {
  send: "The digest collected so far was handed to the core for sending.",
  bump: "The digest number was advanced.",
} as const;

/** Digest actions the core has and Postorius does not offer (console.md §3.1 "Digest"). */
export function DigestActions({ targetId, listId, initial }: { targetId: number; listId: string; initial: DigestInfo }) {
  const [info, setInfo] = useState(initial);
  const [status, setStatus] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [running, setRunning] = useState<"send" | "bump" | null>(null);
  const { executeAsync } = useAction(digestAction);

  async function run(action: "send" | "bump") {
    setStatus(null);
    setRunning(action);
    try {
      const result = await executeAsync({ targetId, listId, action });
      if (result?.data) {
        setInfo(result.data);
        setStatus({ tone: "success", text: DONE[action] });
      } else {
        setStatus({ tone: "error", text: result?.serverError?.message ?? "The digest action failed." });
      }
    } catch {
      setStatus({ tone: "error", text: "The request did not reach the server. Check your connection and try again." });
    } finally {
      setRunning(null);
    }
  }

  return (
    <Card title="Digest actions" description="Send the digest now instead of waiting for its size threshold or schedule, or move on to the next digest.">
      <dl className="mb-4 grid grid-cols-2 gap-4 text-sm sm:max-w-sm">
        <div>
          <dt className="text-slate-500">Volume</dt>
          <dd className="mt-1 text-lg font-semibold tabular-nums text-slate-900" data-testid="digest-volume">
            {info.volume}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Next digest number</dt>
          <dd className="mt-1 text-lg font-semibold tabular-nums text-slate-900" data-testid="digest-number">
            {info.next_digest_number}
          </dd>
        </div>
      </dl>
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" pending={running === "send"} disabled={running !== null} onClick={() => void run("send")}>
          Send digest now
        </Button>
        <Button variant="secondary" pending={running === "bump"} disabled={running !== null} onClick={() => void run("bump")}>
          Start new volume
        </Button>
      </div>
      <p className="mt-2 text-xs text-slate-500">
        The core starts a new volume only when the volume period (see “Start a new volume” above) has passed since the last digest; otherwise it
        moves on to the next digest number.
      </p>
      {status ? (
        <Alert tone={status.tone} className="mt-3">
          {status.text}
        </Alert>
      ) : null}
    </Card>
  );
}
