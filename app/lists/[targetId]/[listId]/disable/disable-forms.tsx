"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { actionProblem, OFFLINE_MESSAGE } from "@/components/forms/action-result";
import { PlanTable } from "@/components/lists/plan-table";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import type { DisablePreview, EnablePreview } from "@/lib/lists/disable";
import type { DisableMode } from "@/lib/lists/disable-plan";
import { disableListAction, enableListAction, previewDisableAction } from "./actions";

const MODES: { value: DisableMode; label: string; help: string }[] = [
  { value: "disabled", label: "Disable", help: "For a list that should stop for now. The description starts with “[Disabled]”." },
  { value: "archived", label: "Archive", help: "For a list whose work is done; its archives stay. The description starts with “[Archived]”." },
];

type Run = () => Promise<{ data?: unknown; serverError?: { message: string }; validationErrors?: unknown } | undefined>;

function useStep() {
  const router = useRouter();
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  async function run(name: string, fn: Run, onData: (data: unknown) => void, after?: () => void) {
    setProblem(null);
    setPending(name);
    try {
      const result = await fn();
      if (result?.data) {
        onData(result.data);
        if (after) after();
        else router.refresh();
      } else setProblem(actionProblem(result as never)?.message ?? "The request was not understood. Reload the page.");
    } catch {
      setProblem(OFFLINE_MESSAGE);
    } finally {
      setPending(null);
    }
  }
  return { problem, pending, run };
}

/** Choose disable or archive, see the plan, apply it. */
export function DisableForm({ targetId, listId }: { targetId: number; listId: string }) {
  const [mode, setMode] = useState<DisableMode>("disabled");
  const [preview, setPreview] = useState<DisablePreview | null>(null);
  const { problem, pending, run } = useStep();
  const onPreview = (event: React.FormEvent) => {
    event.preventDefault();
    void run("preview", () => previewDisableAction({ targetId, listId, mode }), (data) => setPreview(data as DisablePreview));
  };
  const onApply = () => void run("apply", () => disableListAction({ targetId, listId, mode }), () => setPreview(null));

  return (
    <form onSubmit={onPreview} className="space-y-4" aria-label="Disable or archive the list">
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">What should happen to the list?</legend>
        {MODES.map((m) => (
          <label key={m.value} className="flex items-start gap-2 text-sm">
            <input
              type="radio"
              name="mode"
              value={m.value}
              checked={mode === m.value}
              onChange={() => {
                setMode(m.value);
                setPreview(null);
              }}
              className="mt-1"
            />
            <span>
              <span className="font-medium text-slate-900">{m.label}</span>
              <span className="block text-slate-600">{m.help}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      {!preview ? (
        <Button type="submit" variant="secondary" pending={pending === "preview"}>
          Show what will change
        </Button>
      ) : (
        <div className="space-y-3">
          <p className="text-sm text-slate-700">
            The list will be owned by <span className="font-mono">{preview.placeholderOwner}</span>. Listkeeper records what is there now, so re-enabling puts back
            exactly these owners, actions, bans and description. Members stay subscribed.
          </p>
          <PlanTable lines={preview.lines} caption="What disabling changes" />
          {preview.warnings.map((w) => (
            <Alert key={w} tone="warning">
              {w}
            </Alert>
          ))}
          <div className="flex flex-wrap gap-3">
            <Button type="button" variant="danger" onClick={onApply} pending={pending === "apply"}>
              {preview.mode === "archived" ? "Archive the list" : "Disable the list"}
            </Button>
            <Button type="button" variant="secondary" onClick={() => setPreview(null)}>
              Cancel
            </Button>
          </div>
        </div>
      )}
    </form>
  );
}

/** A disabled list: the plan of re-enabling (computed on the server), and the buttons to apply it or finish a half-done run. */
export function EnableForm({ targetId, listId, preview, canFinish }: { targetId: number; listId: string; preview: EnablePreview; canFinish: boolean }) {
  const { problem, pending, run } = useStep();
  const router = useRouter();
  const [done, setDone] = useState<string | null>(null);
  return (
    <Card title="Re-enable the list" description="Puts back exactly what the list had when it was disabled.">
      <div className="space-y-3">
        <PlanTable lines={preview.lines} caption="What re-enabling changes" />
        {problem ? <Alert tone="error">{problem}</Alert> : null}
        {done ? <Alert tone="success">{done}</Alert> : null}
        <div className="flex flex-wrap gap-3">
          <Button type="button" onClick={() =>
              // The page renders the disable form once the list is enabled, which unmounts this
              // card: the confirmation travels in the address so the new page can say it.
              void run("enable", () => enableListAction({ targetId, listId }), () => setDone("The list is enabled again."), () => router.replace("?done=enabled"))
            } pending={pending === "enable"}>
            Re-enable
          </Button>
          {canFinish ? (
            <Button
              type="button"
              variant="secondary"
              onClick={() => void run("finish", () => disableListAction({ targetId, listId, mode: preview.mode }), () => setDone("The list is disabled."))}
              pending={pending === "finish"}
            >
              Finish disabling
            </Button>
          ) : null}
        </div>
      </div>
    </Card>
  );
}
