"use client";

import { useState } from "react";
import { actionProblem, OFFLINE_MESSAGE } from "@/components/forms/action-result";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { applyInitAction, previewInitAction } from "../../actions";

type Report = { subscribed: string[]; skipped: string[]; unsubscribed: string[]; unknown: string[] };
type Preview = Report & { fingerprint: string; emailListId: number };

const PARTS: { key: keyof Report; label: string; help: string }[] = [
  { key: "subscribed", label: "Subscribed", help: "on the roster, no choice yet: will be recorded as subscribed" },
  { key: "skipped", label: "Skipped", help: "already subscribed by their own choice" },
  { key: "unsubscribed", label: "Unsubscribed", help: "not on the roster, no choice yet: will be recorded as not subscribed" },
  { key: "unknown", label: "Unknown", help: "on the roster, matching no person: never touched" },
];

function ReportView({ report }: { report: Report }) {
  return (
    <dl className="grid gap-4 sm:grid-cols-2" data-testid="init-report">
      {PARTS.map((p) => (
        <div key={p.key}>
          <dt className="text-sm font-semibold">
            {p.label} ({report[p.key].length})
          </dt>
          <dd className="text-xs text-slate-600">{p.help}</dd>
          <dd>
            <ul className="mt-1 max-h-48 overflow-y-auto font-mono text-sm">
              {report[p.key].map((e) => (
                <li key={e} className="break-all">
                  {e}
                </li>
              ))}
            </ul>
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Preview the init's report, then save it (refused if anything moved since the preview). */
export function InitPreview({ targetId, emailListId }: { targetId: number; emailListId: number }) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState<"preview" | "apply" | null>(null);

  async function call<T>(kind: "preview" | "apply", fn: () => Promise<T>): Promise<T | null> {
    setPending(kind);
    setProblem(null);
    try {
      return await fn();
    } catch {
      setProblem(OFFLINE_MESSAGE);
      return null;
    } finally {
      setPending(null);
    }
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap gap-2">
        <Button
          variant={preview ? "secondary" : "primary"}
          pending={pending === "preview"}
          onClick={async () => {
            const result = await call("preview", () => previewInitAction({ targetId, emailListId }));
            if (!result) return;
            const failure = actionProblem(result);
            if (failure || !result.data) setProblem(failure?.message ?? "No answer from the server.");
            else {
              setPreview(result.data);
              setSaved(null);
            }
          }}
        >
          {preview ? "Preview again" : "Preview the init"}
        </Button>
        {preview && saved === null ? (
          <Button
            pending={pending === "apply"}
            onClick={async () => {
              const result = await call("apply", () => applyInitAction({ targetId, emailListId, fingerprint: preview.fingerprint }));
              if (!result) return;
              const failure = actionProblem(result);
              if (failure || !result.data) setProblem(failure?.message ?? "No answer from the server.");
              else setSaved(result.data.saved);
            }}
          >
            Save these preferences
          </Button>
        ) : null}
      </div>
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      {saved !== null ? <Alert tone="success">Saved: {saved} {saved === 1 ? "preference" : "preferences"} recorded. Nothing was changed in Mailman.</Alert> : null}
      {preview ? (
        <>
          {saved === null ? <p className="text-sm text-slate-600">Preview only: nothing is saved until you press “Save these preferences”.</p> : null}
          <ReportView report={preview} />
        </>
      ) : null}
    </div>
  );
}
