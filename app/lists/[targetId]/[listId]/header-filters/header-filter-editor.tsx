"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useAction } from "next-safe-action/hooks";
import { useEffect, useRef, useState } from "react";
import { useForm, type UseFormReturn } from "react-hook-form";
import { applyActionErrors, type SafeActionResultShape } from "@/components/forms/action-result";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card, EmptyState } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/field";
import type { HeaderFilterRow } from "@/lib/header-filters/header-filters";
import { FILTER_ACTION_LABELS, FILTER_ACTIONS, ruleFieldsSchema, type FilterAction, type RuleFields, type RuleFieldsInput } from "@/lib/header-filters/rule-input";
import { addRuleAction, deleteRuleAction, moveRuleAction, updateRuleAction } from "./actions";

const FIELDS = ["header", "pattern", "action", "tag"] as const;
const ACTION_OPTIONS = FILTER_ACTIONS.map((value) => ({ value, label: FILTER_ACTION_LABELS[value] }));

/** Header and pattern identify a rule: the core refuses two rules with the same pair. */
const ruleKey = (rule: { header: string; pattern: string }) => `${rule.header}\u0000${rule.pattern}`;
const seen = (rule: HeaderFilterRow) => ({ position: rule.position, expectedHeader: rule.header, expectedPattern: rule.pattern });

function actionLabel(action: string): string {
  return (FILTER_ACTION_LABELS as Record<string, string>)[action] ?? action;
}

function failureMessage(result: SafeActionResultShape<unknown> | undefined): string | null {
  if (!result) return "No answer from the server. Check your connection and try again.";
  if (result.serverError) return result.serverError.message;
  if (result.validationErrors) {
    const { formErrors = [], fieldErrors = {} } = result.validationErrors;
    return formErrors[0] ?? Object.values(fieldErrors).flat()[0] ?? "The request was not valid. Reload the page and try again.";
  }
  return null;
}

interface Props {
  targetId: number;
  listId: string;
  rules: HeaderFilterRow[];
}

export function HeaderFilterEditor({ targetId, listId, rules }: Props) {
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  // After a move the rows re-render in their new order; keyboard focus follows the moved rule.
  const [focusAfter, setFocusAfter] = useState<{ key: string; direction: "up" | "down"; to: number } | null>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement | null>());

  useEffect(() => {
    // Wait for the refreshed rules: focusing before the rows are reordered would be lost.
    if (!focusAfter || rules.find((r) => ruleKey(r) === focusAfter.key)?.position !== focusAfter.to) return;
    const preferred = buttons.current.get(`${focusAfter.key}\u0000${focusAfter.direction}`);
    const other = buttons.current.get(`${focusAfter.key}\u0000${focusAfter.direction === "up" ? "down" : "up"}`);
    const target = preferred && !preferred.disabled ? preferred : other;
    if (target && !target.disabled) {
      target.focus();
      setFocusAfter(null);
    }
  }, [rules, focusAfter]);

  const ref = { targetId, listId };

  async function move(rule: HeaderFilterRow, direction: "up" | "down") {
    const to = direction === "up" ? rule.position - 1 : rule.position + 1;
    setBusy(ruleKey(rule));
    setError(null);
    setStatus(null);
    try {
      const result = await moveRuleAction({ ...ref, ...seen(rule), to });
      const problem = failureMessage(result);
      if (problem) {
        setError(problem);
        return;
      }
      setFocusAfter({ key: ruleKey(rule), direction, to });
      setStatus(`Rule ${rule.position + 1} (${rule.header}) moved to position ${to + 1}.`);
    } catch {
      setError("The request did not reach the server. Check your connection and try again.");
    } finally {
      setBusy(null);
    }
  }

  async function remove(rule: HeaderFilterRow) {
    setBusy(ruleKey(rule));
    setError(null);
    setStatus(null);
    try {
      const result = await deleteRuleAction({ ...ref, ...seen(rule) });
      const problem = failureMessage(result);
      if (problem) {
        setError(problem);
        return;
      }
      setConfirming(null);
      setStatus(`Rule ${rule.position + 1} (${rule.header}) deleted.`);
    } catch {
      setError("The request did not reach the server. Check your connection and try again.");
    } finally {
      setBusy(null);
    }
  }

  const hasDefer = rules.some((r) => r.action === "defer");

  return (
    <div className="space-y-6">
      <Card title="Rules" description="First match wins. Move rules with the Move up and Move down buttons (Tab to reach them, Enter or Space to press).">
        <div className="space-y-3">
          {/* Always in the page, so that screen readers announce each new message. */}
          <div role="status" aria-live="polite" className={status ? "rounded-md bg-emerald-50 p-3 text-sm text-emerald-800 ring-1 ring-inset ring-emerald-200" : undefined}>
            {status}
          </div>
          {error ? <Alert tone="error">{error}</Alert> : null}
          {hasDefer ? (
            <Alert tone="error" title="A rule uses the action “defer”">
              Another tool set it. The Mailman core has no defer chain, so every post matching it crashes and is shunted. Edit the rule and choose another
              action.
            </Alert>
          ) : null}
          {rules.length === 0 ? (
            <EmptyState title="No header filters">Posts are checked only against the site-wide rules. Add a rule below.</EmptyState>
          ) : (
            <div className="overflow-x-auto rounded-lg ring-1 ring-slate-200">
              <table className="min-w-full divide-y divide-slate-200 text-sm">
                <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                  <tr>
                    <th scope="col" className="px-3 py-2">#</th>
                    <th scope="col" className="px-3 py-2">Header</th>
                    <th scope="col" className="px-3 py-2">Pattern</th>
                    <th scope="col" className="px-3 py-2">Action</th>
                    <th scope="col" className="px-3 py-2">Tag</th>
                    <th scope="col" className="px-3 py-2"><span className="sr-only">Order and changes</span></th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {rules.map((rule, index) => {
                    const key = ruleKey(rule);
                    const n = rule.position + 1;
                    if (editing === key) {
                      return (
                        <tr key={key} data-rule={n}>
                          <td colSpan={6} className="bg-slate-50 px-3 py-3">
                            <EditRuleForm
                              targetId={targetId}
                              listId={listId}
                              rule={rule}
                              onDone={(message) => {
                                setEditing(null);
                                if (message) setStatus(message);
                              }}
                            />
                          </td>
                        </tr>
                      );
                    }
                    return (
                      <tr key={key} data-rule={n}>
                        <td className="px-3 py-2 tabular-nums text-slate-500">{n}</td>
                        <td className="px-3 py-2 font-mono">{rule.header}</td>
                        <td className="px-3 py-2 font-mono break-all">{rule.pattern}</td>
                        <td className="px-3 py-2">
                          {rule.action === "defer" ? <Badge tone="red">Defer (shunts every post)</Badge> : actionLabel(rule.action)}
                        </td>
                        <td className="px-3 py-2 text-slate-700">{rule.tag}</td>
                        <td className="px-3 py-2">
                          {confirming === key ? (
                            <div role="group" aria-label={`Confirm deleting rule ${n}`} className="flex flex-wrap items-center justify-end gap-2">
                              <span className="text-slate-700">Delete rule {n}?</span>
                              <Button variant="danger" pending={busy === key} onClick={() => void remove(rule)} autoFocus>
                                Confirm delete
                              </Button>
                              <Button variant="secondary" onClick={() => setConfirming(null)}>
                                Cancel
                              </Button>
                            </div>
                          ) : (
                            <div className="flex flex-wrap justify-end gap-2">
                              <Button
                                variant="secondary"
                                aria-label={`Move rule ${n} up`}
                                ref={(el) => {
                                  buttons.current.set(`${key}\u0000up`, el);
                                }}
                                disabled={index === 0 || busy !== null}
                                onClick={() => void move(rule, "up")}
                              >
                                <span aria-hidden>↑</span> Up
                              </Button>
                              <Button
                                variant="secondary"
                                aria-label={`Move rule ${n} down`}
                                ref={(el) => {
                                  buttons.current.set(`${key}\u0000down`, el);
                                }}
                                disabled={index === rules.length - 1 || busy !== null}
                                onClick={() => void move(rule, "down")}
                              >
                                <span aria-hidden>↓</span> Down
                              </Button>
                              <Button variant="secondary" aria-label={`Edit rule ${n}`} onClick={() => setEditing(key)} disabled={busy !== null}>
                                Edit
                              </Button>
                              <Button variant="danger" aria-label={`Delete rule ${n}`} onClick={() => setConfirming(key)} disabled={busy !== null}>
                                Delete
                              </Button>
                            </div>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </div>
      </Card>
      <AddRuleForm targetId={targetId} listId={listId} onAdded={(message) => setStatus(message)} />
    </div>
  );
}

function RuleFieldsGrid({ form, autoFocus }: { form: UseFormReturn<RuleFieldsInput, unknown, RuleFields>; autoFocus?: boolean }) {
  const { errors } = form.formState;
  return (
    <div className="grid gap-4 sm:grid-cols-4">
      <TextField
        label="Header"
        autoComplete="off"
        spellCheck={false}
        autoFocus={autoFocus}
        placeholder="X-Spam-Flag"
        help="A header name, without the colon."
        {...form.register("header")}
        error={errors.header?.message}
      />
      <TextField
        label="Pattern"
        autoComplete="off"
        spellCheck={false}
        placeholder="^yes"
        help="A Python regular expression."
        className="font-mono"
        {...form.register("pattern")}
        error={errors.pattern?.message}
      />
      <SelectField label="Action" options={ACTION_OPTIONS} {...form.register("action")} error={errors.action?.message} />
      <TextField label="Tag" autoComplete="off" help="Optional: a name to recognise the rule by." {...form.register("tag")} error={errors.tag?.message} />
    </div>
  );
}

function AddRuleForm({ targetId, listId, onAdded }: { targetId: number; listId: string; onAdded: (message: string) => void }) {
  const [banner, setBanner] = useState<string | null>(null);
  const form = useForm<RuleFieldsInput, unknown, RuleFields>({
    resolver: zodResolver(ruleFieldsSchema),
    defaultValues: { header: "", pattern: "", action: "default", tag: "" },
  });
  const { executeAsync, isPending } = useAction(addRuleAction);

  const onSubmit = form.handleSubmit(async (values) => {
    setBanner(null);
    let result: Awaited<ReturnType<typeof executeAsync>>;
    try {
      result = await executeAsync({ ...values, targetId, listId });
    } catch {
      setBanner("The request did not reach the server. Check your connection and try again.");
      return;
    }
    if (!result?.data) {
      setBanner(applyActionErrors(result, form.setError, FIELDS));
      return;
    }
    form.reset();
    onAdded(`Rule ${result.data.position + 1} (${result.data.header}) added.`);
  });

  return (
    <Card title="Add a rule" description="New rules go last; move them up afterwards if they must be checked earlier.">
      <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Add a header filter">
        <RuleFieldsGrid form={form} />
        {banner ? <Alert tone="error">{banner}</Alert> : null}
        <div className="flex justify-end">
          <Button type="submit" pending={isPending}>
            Add rule
          </Button>
        </div>
      </form>
    </Card>
  );
}

function EditRuleForm({ targetId, listId, rule, onDone }: { targetId: number; listId: string; rule: HeaderFilterRow; onDone: (message: string | null) => void }) {
  const [banner, setBanner] = useState<string | null>(null);
  const n = rule.position + 1;
  // A "defer" rule from another tool must be given a safe action before it can be saved.
  const action: FilterAction = (FILTER_ACTIONS as readonly string[]).includes(rule.action) ? (rule.action as FilterAction) : "default";
  const form = useForm<RuleFieldsInput, unknown, RuleFields>({
    resolver: zodResolver(ruleFieldsSchema),
    defaultValues: { header: rule.header, pattern: rule.pattern, action, tag: rule.tag },
  });
  const { executeAsync, isPending } = useAction(updateRuleAction);

  const onSubmit = form.handleSubmit(async (values) => {
    setBanner(null);
    let result: Awaited<ReturnType<typeof executeAsync>>;
    try {
      result = await executeAsync({ ...values, targetId, listId, ...seen(rule) });
    } catch {
      setBanner("The request did not reach the server. Check your connection and try again.");
      return;
    }
    if (!result?.data) {
      setBanner(applyActionErrors(result, form.setError, FIELDS));
      return;
    }
    onDone(result.data.changed.length > 0 ? `Rule ${n} saved.` : `Rule ${n} was not changed.`);
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label={`Edit rule ${n}`}>
      <p className="text-sm font-semibold text-slate-900">Edit rule {n}</p>
      <RuleFieldsGrid form={form} autoFocus />
      {banner ? <Alert tone="error">{banner}</Alert> : null}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={() => onDone(null)}>
          Cancel
        </Button>
        <Button type="submit" pending={isPending}>
          Save rule
        </Button>
      </div>
    </form>
  );
}
