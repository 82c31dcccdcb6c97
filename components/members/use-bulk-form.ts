"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { actionProblem, OFFLINE_MESSAGE, type ActionFailureShape, type SafeActionResultShape } from "@/components/forms/action-result";

/**
 * The two steps every mass-operation form shares: "check" runs a preflight (nothing changes in
 * the core), "start" creates the job and opens its page. Errors land in `problem` (with the
 * field they concern, if any); the user's input is never cleared.
 */
export function useBulkForm<P>({ jobHref }: { jobHref: (jobId: number) => string }) {
  const router = useRouter();
  const [preflight, setPreflight] = useState<P | null>(null);
  const [problem, setProblem] = useState<ActionFailureShape | null>(null);
  const [pending, setPending] = useState<"check" | "start" | null>(null);

  async function check(run: () => Promise<SafeActionResultShape<P> | undefined>) {
    setProblem(null);
    setPending("check");
    try {
      const result = await run();
      if (result?.data) setPreflight(result.data);
      else setProblem(actionProblem(result));
    } catch {
      setProblem({ message: OFFLINE_MESSAGE });
    } finally {
      setPending(null);
    }
  }

  async function start(run: () => Promise<SafeActionResultShape<{ jobId: number }> | undefined>) {
    setProblem(null);
    setPending("start");
    try {
      const result = await run();
      if (result?.data) {
        router.push(jobHref(result.data.jobId));
        return;
      }
      setProblem(actionProblem(result));
    } catch {
      setProblem({ message: OFFLINE_MESSAGE });
    }
    setPending(null);
  }

  /** New input invalidates the preview. */
  function reset() {
    setPreflight(null);
    setProblem(null);
  }

  return { preflight, problem, pending, check, start, reset };
}
