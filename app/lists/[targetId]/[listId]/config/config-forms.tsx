"use client";

import { useId, useState } from "react";
import { actionProblem, OFFLINE_MESSAGE, type SafeActionResultShape } from "@/components/forms/action-result";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CheckboxField, SelectField, TextAreaField } from "@/components/ui/field";
import { CONFIG_PART_LABELS, CONFIG_PARTS, type ConfigPart } from "@/lib/list-config/document";
import type { ApplyResult, ConfigPlan, CopyPreview } from "@/lib/list-config/list-config";
import { applyCopyAction, applyImportAction, previewCopyAction, previewImportAction } from "./actions";

function usePending() {
  const [pending, setPending] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  async function run<T>(name: string, fn: () => Promise<SafeActionResultShape<T> | undefined>): Promise<T | null> {
    setPending(name);
    setProblem(null);
    try {
      const result = await fn();
      if (result?.data) return result.data;
      setProblem(actionProblem(result)?.message ?? "The request was not understood. Reload the page.");
    } catch {
      setProblem(OFFLINE_MESSAGE);
    } finally {
      setPending(null);
    }
    return null;
  }
  return { pending, problem, run };
}

function PartsChooser({ parts, onParts, includeIdentity, onIdentity }: { parts: ConfigPart[]; onParts: (p: ConfigPart[]) => void; includeIdentity: boolean; onIdentity: (v: boolean) => void }) {
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-800">Parts to apply</legend>
      <div className="flex flex-wrap gap-x-6 gap-y-1">
        {CONFIG_PARTS.map((part) => (
          <label key={part} className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={parts.includes(part)} onChange={(e) => onParts(e.target.checked ? [...parts, part] : parts.filter((p) => p !== part))} />
            {CONFIG_PART_LABELS[part]}
          </label>
        ))}
      </div>
      <CheckboxField
        label="Also the list's name, descriptions and subject prefix"
        help="Off: those stay as they are, so the list keeps its own identity."
        checked={includeIdentity}
        onChange={(e) => onIdentity(e.target.checked)}
      />
    </fieldset>
  );
}

function changeCount(plan: ConfigPlan): number {
  return (
    plan.settings.changes.length +
    plan.headerFilters.add.length +
    plan.headerFilters.remove.length +
    plan.headerFilters.update.length +
    (plan.headerFilters.reorder ? 1 : 0) +
    plan.bans.add.length +
    plan.bans.remove.length +
    plan.templates.lines.length +
    plan.roles.add.length +
    plan.roles.remove.length
  );
}

/** Every change of a plan, part by part, before anything is sent. */
export function PlanView({ plan }: { plan: ConfigPlan }) {
  const rule = (r: { header: string; pattern: string; action: string | null }) => `${r.header}: ${r.pattern} → ${r.action ?? "site default"}`;
  const problems = [...plan.settings.problems, ...plan.templates.problems, ...plan.roles.problems];
  return (
    <div className="space-y-3 text-sm" data-testid="config-plan">
      {plan.empty ? <p className="text-slate-600">Nothing to change: {plan.postingAddress} already matches.</p> : null}
      {plan.settings.changes.length > 0 ? (
        <div className="overflow-x-auto rounded-lg bg-white ring-1 ring-slate-200">
          <table className="min-w-full divide-y divide-slate-200">
            <caption className="sr-only">Settings that change on {plan.postingAddress}</caption>
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">Setting</th>
                <th scope="col" className="px-3 py-2">Now</th>
                <th scope="col" className="px-3 py-2">After</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {plan.settings.changes.map((c) => (
                <tr key={c.key}>
                  <td className="px-3 py-1.5 font-medium">
                    {c.label}
                    {c.warning ? <span className="block text-xs font-normal text-amber-800">{c.warning}</span> : null}
                  </td>
                  <td className="px-3 py-1.5 break-all text-slate-700">{c.from}</td>
                  <td className="px-3 py-1.5 break-all">{c.to}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ul className="list-disc space-y-0.5 pl-5">
        {plan.headerFilters.add.map((r) => <li key={`a${rule(r)}`}>Header filter added: {rule(r)}</li>)}
        {plan.headerFilters.update.map(({ rule: r }) => <li key={`u${rule(r)}`}>Header filter changed: {rule(r)}{r.tag ? ` (tag ${r.tag})` : ""}</li>)}
        {plan.headerFilters.remove.map((r) => <li key={`r${rule(r)}`}>Header filter removed: {rule(r)}</li>)}
        {plan.headerFilters.reorder ? <li>Header filters put in the configuration&apos;s order</li> : null}
        {plan.bans.add.map((b) => <li key={`ba${b}`}>Ban added: <span className="font-mono">{b}</span></li>)}
        {plan.bans.remove.map((b) => <li key={`br${b}`}>Ban removed: <span className="font-mono">{b}</span></li>)}
        {plan.templates.lines.map((t) => <li key={`t${t.name}${t.change}`}>Template {t.name}: {t.change}</li>)}
        {plan.roles.add.map((r) => <li key={`ra${r.email}${r.role}`}>{r.email} becomes {r.role === "owner" ? "an owner" : "a moderator"}</li>)}
        {plan.roles.remove.map((r) => <li key={`rr${r.email}${r.role}`}>{r.email} is no longer {r.role === "owner" ? "an owner" : "a moderator"}</li>)}
      </ul>
      {plan.settings.skipped.length > 0 ? <p className="text-xs text-slate-600">Kept as they are: {plan.settings.skipped.join(", ")}.</p> : null}
      {problems.length > 0 ? (
        <Alert tone="warning" title="Not applied">
          <ul className="list-disc pl-5">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
    </div>
  );
}

function ResultView({ result }: { result: ApplyResult }) {
  return (
    <div className="space-y-1 text-sm" data-testid="config-result">
      <p className="font-medium">
        {result.postingAddress}: {result.ok ? "done" : "done in part"}
      </p>
      <ul className="list-disc pl-5">
        {result.results.map((r) => (
          <li key={r.part}>
            {CONFIG_PART_LABELS[r.part]}: {r.done.length} applied{r.failed.length > 0 ? `, ${r.failed.length} failed` : ""}
            {r.failed.length > 0 ? (
              <ul className="list-disc pl-5 text-red-800">
                {r.failed.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Import a configuration file: preview every change, then apply exactly that plan. */
export function ImportConfigForm({ targetId, listId }: { targetId: number; listId: string }) {
  const fileId = useId();
  const [document, setDocument] = useState<{ text: string; name: string } | null>(null);
  const [parts, setParts] = useState<ConfigPart[]>([...CONFIG_PARTS]);
  const [includeIdentity, setIncludeIdentity] = useState(false);
  const [plan, setPlan] = useState<ConfigPlan | null>(null);
  const [result, setResult] = useState<ApplyResult | null>(null);
  const { pending, problem, run } = usePending();
  const changed = () => {
    setPlan(null);
    setResult(null);
  };
  const choice = { targetId, listId, document: document?.text ?? "", parts, includeIdentity };

  return (
    <Card title="Import a configuration" description="A JSON file exported from this or another list. Members are never part of it.">
      <div className="space-y-4">
        <div className="text-sm">
          <label htmlFor={fileId} className="font-medium text-slate-800">
            Configuration file
          </label>
          <input
            id={fileId}
            type="file"
            accept=".json,application/json"
            className="mt-1 block text-sm"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              changed();
              setDocument(file ? { text: await file.text(), name: file.name } : null);
            }}
          />
        </div>
        <PartsChooser parts={parts} onParts={(p) => (setParts(p), changed())} includeIdentity={includeIdentity} onIdentity={(v) => (setIncludeIdentity(v), changed())} />
        {problem ? <Alert tone="error">{problem}</Alert> : null}
        {!plan ? (
          <Button type="button" variant="secondary" disabled={!document || parts.length === 0} pending={pending === "preview"} onClick={async () => setPlan(await run("preview", () => previewImportAction(choice)))}>
            Preview the import
          </Button>
        ) : (
          <>
            <PlanView plan={plan} />
            {result ? (
              <ResultView result={result} />
            ) : !plan.empty ? (
              <div className="flex gap-3">
                <Button type="button" pending={pending === "apply"} onClick={async () => setResult(await run("apply", () => applyImportAction({ ...choice, fingerprint: plan.fingerprint })))}>
                  Apply {changeCount(plan)} {changeCount(plan) === 1 ? "change" : "changes"}
                </Button>
                <Button type="button" variant="secondary" onClick={changed}>
                  Cancel
                </Button>
              </div>
            ) : null}
          </>
        )}
      </div>
    </Card>
  );
}

/** Copy this list's configuration to other lists: one preview and one result per list. */
export function CopyConfigForm({ targetId, listId, servers }: { targetId: number; listId: string; servers: { id: number; name: string }[] }) {
  const [lists, setLists] = useState("");
  const [server, setServer] = useState(String(targetId));
  const [parts, setParts] = useState<ConfigPart[]>(["settings", "headerFilters"]);
  const [includeIdentity, setIncludeIdentity] = useState(false);
  const [preview, setPreview] = useState<CopyPreview | null>(null);
  const [results, setResults] = useState<{ results: ApplyResult[]; refused: CopyPreview["refused"] } | null>(null);
  const { pending, problem, run } = usePending();
  const to = lists
    .split(/[\s,;]+/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => ({ targetId: Number(server), listId: l }));
  const changed = () => {
    setPreview(null);
    setResults(null);
  };
  const choice = { targetId, listId, to, parts, includeIdentity };

  return (
    <Card title="Copy to other lists" description="Makes other lists match this one, part by part. You must own each of them.">
      <div className="space-y-4">
        <TextAreaField
          label="Lists to copy to"
          help="Posting addresses or list ids, one per line."
          rows={4}
          controlClassName="font-mono"
          value={lists}
          onChange={(e) => (setLists(e.target.value), changed())}
        />
        {servers.length > 1 ? <SelectField label="On server" options={servers.map((s) => ({ value: String(s.id), label: s.name }))} value={server} onChange={(e) => (setServer(e.target.value), changed())} className="max-w-sm" /> : null}
        <PartsChooser parts={parts} onParts={(p) => (setParts(p), changed())} includeIdentity={includeIdentity} onIdentity={(v) => (setIncludeIdentity(v), changed())} />
        {problem ? <Alert tone="error">{problem}</Alert> : null}
        {!preview ? (
          <Button type="button" variant="secondary" disabled={to.length === 0 || parts.length === 0} pending={pending === "preview"} onClick={async () => setPreview(await run("preview", () => previewCopyAction(choice)))}>
            Preview the copy
          </Button>
        ) : (
          <div className="space-y-4">
            {preview.refused.map((r) => (
              <Alert key={r.listId} tone="warning" title={`${r.listId} is left out`}>
                {r.message}
              </Alert>
            ))}
            {preview.plans.map((plan) => (
              <section key={`${plan.targetId}:${plan.listId}`} className="space-y-2 rounded-md p-3 ring-1 ring-slate-200">
                <h3 className="font-medium text-slate-900">{plan.postingAddress}</h3>
                <PlanView plan={plan} />
              </section>
            ))}
            {results ? (
              <div className="space-y-3">
                {results.results.map((r) => (
                  <ResultView key={r.listId} result={r} />
                ))}
                {results.refused.map((r) => (
                  <Alert key={r.listId} tone="error" title={`${r.listId}: not applied`}>
                    {r.message}
                  </Alert>
                ))}
              </div>
            ) : preview.plans.some((p) => !p.empty) ? (
              <Button
                type="button"
                pending={pending === "apply"}
                onClick={async () =>
                  setResults(
                    await run("apply", () =>
                      applyCopyAction({ ...choice, to: preview.plans.map((p) => ({ targetId: p.targetId, listId: p.listId })), fingerprints: Object.fromEntries(preview.plans.map((p) => [`${p.targetId}:${p.listId}`, p.fingerprint])) }),
                    ),
                  )
                }
              >
                Apply to {preview.plans.length} {preview.plans.length === 1 ? "list" : "lists"}
              </Button>
            ) : null}
          </div>
        )}
      </div>
    </Card>
  );
}
