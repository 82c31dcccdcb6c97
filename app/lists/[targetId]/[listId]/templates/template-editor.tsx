"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { TextAreaField } from "@/components/ui/field";
import { renderTemplate } from "@/lib/templates/render";
import {
  publishLevelTemplateAction,
  resetLevelTemplateAction,
  restoreLevelTemplateAction,
  saveLevelTemplateAction,
} from "../../../../admin/targets/[targetId]/templates/actions";
import { publishListTemplateAction, resetListTemplateAction, restoreListTemplateAction, saveListTemplateAction } from "./actions";
import { DateTime } from "@/components/ui/date-time";

/** Which level the editor writes to; the actions check the viewer's rights again. */
export type EditorTarget =
  | { kind: "list"; targetId: number; listId: string }
  | { kind: "level"; targetId: number; scope: "domain" | "site"; scopeId: string };

export type CoreState = { kind: "none" } | { kind: "listkeeper"; uri: string } | { kind: "other"; uri: string } | null;

export interface RevisionView {
  id: number;
  action: string;
  text: string;
  at: string;
  actor: string | null;
}

interface Props {
  target: EditorTarget;
  name: string;
  label: string;
  description: string;
  defaultText: string;
  messageVariables: string[];
  savedText: string | null;
  publishedText: string | null;
  publishedAt: string | null;
  core: CoreState;
  variables: Record<string, string>;
  variablesNote: string;
  history: RevisionView[];
  /** Why publishing is impossible here (no base URL), or null. */
  publishBlocked: string | null;
}

interface Outcome {
  data?: unknown;
  serverError?: { message: string };
  validationErrors?: { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> };
}

function failureOf(result: Outcome | undefined): string | null {
  if (!result) return "No answer from the server. Check your connection and try again.";
  if (result.serverError) return result.serverError.message;
  if (result.validationErrors) {
    const { formErrors = [], fieldErrors = {} } = result.validationErrors;
    return formErrors[0] ?? Object.values(fieldErrors).flat().find(Boolean) ?? "The request was not understood.";
  }
  return null;
}

// Server actions are plain async functions; the list and level variants take different inputs,
// which `ref` above builds per kind (the actions validate them again).
type LooseAction = (input: Record<string, unknown>) => Promise<Outcome | undefined>;
const loose = (action: unknown) => action as LooseAction;
const LIST_ACTIONS = {
  save: loose(saveListTemplateAction),
  publish: loose(publishListTemplateAction),
  reset: loose(resetListTemplateAction),
  restore: loose(restoreListTemplateAction),
};
const LEVEL_ACTIONS = {
  save: loose(saveLevelTemplateAction),
  publish: loose(publishLevelTemplateAction),
  reset: loose(resetLevelTemplateAction),
  restore: loose(restoreLevelTemplateAction),
};

function StatusBadge({ core, savedText, publishedText }: Pick<Props, "core" | "savedText" | "publishedText">) {
  if (core === null) return <Badge tone="amber">Core state unknown</Badge>;
  if (core.kind === "other") return <Badge tone="amber">Set outside Listkeeper</Badge>;
  if (core.kind === "none") return <Badge>Built-in default</Badge>;
  if (publishedText !== null && publishedText === savedText) return <Badge tone="emerald">Published</Badge>;
  return <Badge tone="amber">Published, newer text saved</Badge>;
}

export function TemplateEditor(props: Props) {
  const { target, name, core } = props;
  const router = useRouter();
  const [text, setText] = useState(props.savedText ?? props.defaultText);
  const [preview, setPreview] = useState<string | null>(null);
  const [banner, setBanner] = useState<{ tone: "error" | "success" | "warning"; message: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const actions = target.kind === "list" ? LIST_ACTIONS : LEVEL_ACTIONS;

  const ref =
    target.kind === "list"
      ? { targetId: target.targetId, listId: target.listId, name }
      : { targetId: target.targetId, scope: target.scope, scopeId: target.scopeId, name };
  // Never saved: even the unchanged default (or an empty text) can be stored.
  const dirty = props.savedText === null || text.replace(/\r\n?/g, "\n") !== props.savedText;

  async function run(label: string, call: () => Promise<Outcome | undefined>, success: string): Promise<string | null> {
    setBusy(label);
    setBanner(null);
    try {
      let result: Outcome | undefined;
      try {
        result = await call();
      } catch {
        result = { serverError: { message: "The request did not reach the server. Check your connection and try again." } };
      }
      const problem = failureOf(result);
      if (problem) {
        setBanner({ tone: "error", message: problem });
        return problem;
      }
      const warning = (result?.data as { warning?: string | null } | undefined)?.warning;
      setBanner(warning ? { tone: "warning", message: warning } : { tone: "success", message: success });
      router.refresh();
      return null;
    } finally {
      setBusy(null);
    }
  }

  const onSave = () => run("save", () => actions.save({ ...ref, text }), "Saved. Publish to make the core use this text.");
  const onPublish = () => run("publish", () => actions.publish(ref), "Published: the core now fetches this text from Listkeeper.");
  const onReset = () => run("reset", () => actions.reset(ref), "Reset: the core uses its default text again.");
  const onRestore = async (revision: RevisionView) => {
    const problem = await run("restore", () => actions.restore({ ...ref, revisionId: revision.id }), "Restored that version as the saved text. Publish to use it.");
    if (!problem) {
      setText(revision.text);
      setPreview(null);
    }
  };

  const publishDisabled = props.publishBlocked !== null || props.savedText === null || dirty;

  return (
    <div className="space-y-6">
      <Card
        title={
          <span className="flex flex-wrap items-center gap-2">
            {props.label} <StatusBadge core={core} savedText={props.savedText} publishedText={props.publishedText} />
          </span>
        }
        description={
          <>
            <span className="font-mono text-xs">{name}</span> — {props.description}
          </>
        }
      >
        {core?.kind === "other" ? (
          <Alert tone="warning" className="mb-4" title="The core is pointed somewhere else">
            <p className="break-all font-mono text-xs">{core.uri}</p>
            <p className="mt-1">Publishing replaces that URI with Listkeeper&apos;s; Reset to default removes it.</p>
          </Alert>
        ) : null}
        {props.publishedAt && core?.kind === "listkeeper" ? (
          <p className="mb-3 text-xs text-slate-500">Published <DateTime value={props.publishedAt} />.</p>
        ) : null}

        <TextAreaField
          label="Text"
          rows={14}
          spellCheck={false}
          className="font-mono"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setPreview(null);
          }}
          help={
            props.savedText === null
              ? "Starts from the core's built-in text. Nothing is stored until you save."
              : dirty
                ? "Unsaved changes."
                : "Matches the saved text."
          }
        />
        <p className="mt-2 text-xs text-slate-500">
          Variables: <span className="font-mono">{["$listname", "$display_name", "$info", "$request_email", "$owner_email", "…"].join(" ")}</span>
          {props.messageVariables.length > 0 ? (
            <>
              {" "}
              · filled in per message: <span className="font-mono">{props.messageVariables.map((v) => `$${v}`).join(" ")}</span>
            </>
          ) : null}
          . Write <span className="font-mono">$$</span> for a dollar sign.
        </p>

        {banner ? (
          <Alert tone={banner.tone} className="mt-4">
            {banner.message}
          </Alert>
        ) : null}
        {props.publishBlocked ? (
          <Alert tone="warning" className="mt-4">
            {props.publishBlocked}
          </Alert>
        ) : null}

        <div className="mt-4 flex flex-wrap gap-2">
          <Button onClick={() => void onSave()} pending={busy === "save"} disabled={busy !== null || !dirty}>
            Save
          </Button>
          <Button variant="secondary" onClick={() => setPreview(renderTemplate(text, props.variables))} disabled={busy !== null}>
            Preview
          </Button>
          <Button
            variant="secondary"
            onClick={() => void onPublish()}
            pending={busy === "publish"}
            disabled={busy !== null || publishDisabled}
            title={dirty ? "Save first: Publish sends the saved text." : undefined}
          >
            Publish
          </Button>
          <ConfirmDialog
            trigger={
              <Button variant="danger" disabled={busy !== null || core?.kind === "none"}>
                Reset to default
              </Button>
            }
            title={`Reset ${props.label} to the default?`}
            description={
              <>
                <p>
                  The core stops fetching this template from Listkeeper and uses the next level&apos;s text (domain, site) or its built-in
                  default.
                </p>
                <p>Listkeeper keeps your saved text and its history, so you can publish it again later.</p>
              </>
            }
            confirmText="reset"
            actionLabel="Reset to default"
            onConfirm={() => onReset()}
          />
        </div>

        {preview !== null ? (
          <section aria-label="Preview" className="mt-4">
            <h3 className="text-sm font-semibold text-slate-800">Preview</h3>
            <p className="text-xs text-slate-500">{props.variablesNote}</p>
            {/* Plain text only: a template is never rendered as HTML. */}
            <pre data-testid="template-preview" className="mt-2 whitespace-pre-wrap rounded-md bg-slate-50 p-3 font-mono text-sm text-slate-900 ring-1 ring-slate-200">
              {preview}
            </pre>
          </section>
        ) : null}
      </Card>

      <Card title="Built-in default" description="What the core sends when no level sets this template.">
        <pre className="whitespace-pre-wrap font-mono text-xs text-slate-700">{props.defaultText || "(empty: nothing is sent or added)"}</pre>
        <div className="mt-3">
          <Button
            variant="ghost"
            onClick={() => {
              setText(props.defaultText);
              setPreview(null);
            }}
          >
            Copy the default into the editor
          </Button>
        </div>
      </Card>

      <Card title="History" description="Every saved version, newest first. Restoring saves that text again; publish it to use it.">
        {props.history.length === 0 ? (
          <p className="text-sm text-slate-500">No saved versions yet.</p>
        ) : (
          <ol className="divide-y divide-slate-100">
            {props.history.map((r, index) => (
              <li key={r.id} className="py-2 text-sm" data-testid="template-revision">
                <details>
                  <summary className="cursor-pointer">
                    {r.action === "restore" ? "Restored" : "Saved"} by {r.actor ?? "unknown"} · <DateTime value={r.at} />
                    {index === 0 ? <span className="ml-2 text-xs text-slate-500">(current)</span> : null}
                  </summary>
                  <pre className="mt-2 whitespace-pre-wrap rounded bg-slate-50 p-2 font-mono text-xs text-slate-800">{r.text}</pre>
                  {index > 0 ? (
                    <Button variant="secondary" className="mt-2" pending={busy === "restore"} disabled={busy !== null} onClick={() => void onRestore(r)}>
                      Restore this version
                    </Button>
                  ) : null}
                </details>
              </li>
            ))}
          </ol>
        )}
      </Card>
    </div>
  );
}
