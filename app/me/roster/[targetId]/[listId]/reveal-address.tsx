"use client";

import { useState } from "react";
import { actionProblem } from "@/components/forms/action-result";
import { Button } from "@/components/ui/button";
import { revealAddressAction } from "./actions";

/** Asks for one member's address; the answer is the address, or that the member hides it. */
export function RevealAddress({ targetId, listId, memberId }: { targetId: number; listId: string; memberId: string }) {
  const [answer, setAnswer] = useState<{ tone: "info" | "error"; text: string; email?: boolean } | null>(null);
  const [pending, setPending] = useState(false);
  if (answer) {
    return (
      <span role={answer.tone === "error" ? "alert" : "status"} className={answer.tone === "error" ? "text-red-700" : answer.email ? "text-slate-700" : "text-slate-500"}>
        {answer.text}
      </span>
    );
  }
  return (
    <Button
      variant="ghost"
      pending={pending}
      onClick={async () => {
        setPending(true);
        const result = await revealAddressAction({ targetId, listId, memberId });
        setPending(false);
        const problem = actionProblem(result);
        if (problem || !result?.data) setAnswer({ tone: "error", text: problem?.message ?? "No answer from the server." });
        else setAnswer(result.data.email ? { tone: "info", text: result.data.email, email: true } : { tone: "info", text: "Address hidden by the member" });
      }}
    >
      Show address
    </Button>
  );
}
