"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { actionProblem, OFFLINE_MESSAGE } from "@/components/forms/action-result";
import { Button } from "@/components/ui/button";
import { retryNowAction } from "./actions";

/** "Retry now": queues the job to run at once and refreshes the page. */
export function RetryNowButton({ targetId, jobId }: { targetId: number; jobId: number }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <span className="inline-flex flex-col items-start gap-1">
      <Button
        variant="secondary"
        pending={pending}
        aria-label={`Retry job ${jobId} now`}
        onClick={async () => {
          setPending(true);
          setProblem(null);
          try {
            const result = await retryNowAction({ targetId, jobId });
            const failure = actionProblem(result);
            if (failure) setProblem(failure.message);
            else router.refresh();
          } catch {
            setProblem(OFFLINE_MESSAGE);
          } finally {
            setPending(false);
          }
        }}
      >
        Retry now
      </Button>
      {problem ? (
        <span role="alert" className="text-xs text-red-700">
          {problem}
        </span>
      ) : null}
    </span>
  );
}
