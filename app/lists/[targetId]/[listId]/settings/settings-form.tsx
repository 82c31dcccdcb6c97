"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { useAction } from "next-safe-action/hooks";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { useForm, type UseFormReturn } from "react-hook-form";
import { applyActionErrors } from "@/components/forms/action-result";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CheckboxField, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { offeredOptions, sectionFields, type SectionSlug, type SettingField } from "@/lib/settings/catalogue";
import type { SaveResult, SectionView } from "@/lib/settings/settings";
import { UNSET_LABEL, diffSection, toFormValues, type Change, type ConfigDrift, type CoreValues, type FormValues } from "@/lib/settings/values";
import { moderatorPasswordAction, saveSettingsAction } from "./actions";

type FormView = Omit<SectionView, "digest">;

interface Props {
  targetId: number;
  listId: string;
  section: SectionSlug;
  initial: FormView;
}

const NO_ANSWER = "The request did not reach the server. Check your connection and try again.";

function SettingControl({ field, original, form }: { field: SettingField; original: unknown; form: UseFormReturn<FormValues> }) {
  const error = form.formState.errors[field.key]?.message;
  const unset = original === null || original === undefined;
  const help = (
    <>
      {field.help}
      {field.nullable && unset ? <span className="ml-1 font-medium text-slate-600">Currently {UNSET_LABEL}.</span> : null}
    </>
  );
  const props = { ...form.register(field.key), error, help, label: field.label };

  switch (field.kind) {
    case "bool":
      if (unset) {
        return (
          <SelectField
            {...props}
            options={[
              { value: "", label: UNSET_LABEL },
              { value: "true", label: "Yes" },
              { value: "false", label: "No" },
            ]}
          />
        );
      }
      return (
        <div>
          <CheckboxField {...form.register(field.key)} label={field.label} help={field.help} />
          {error ? (
            <p role="alert" className="mt-1 text-sm text-red-700">
              {error}
            </p>
          ) : null}
        </div>
      );
    case "enum": {
      const options = offeredOptions(field).map((o) => ({ value: o.value, label: o.label }));
      // A value set outside Listkeeper that the UI does not offer is shown truthfully, never offered.
      if (!unset && !options.some((o) => o.value === original)) {
        const label = field.options?.find((o) => o.value === original)?.label ?? String(original);
        options.unshift({ value: String(original), label: `${label} (current value, cannot be chosen again)` });
      }
      if (unset) options.unshift({ value: "", label: UNSET_LABEL });
      return <SelectField {...props} options={options} />;
    }
    case "int":
    case "decimal":
      // Numeric inputs with the bounds the server checks too (lib/settings/values.ts).
      return <TextField {...props} type="number" min={0} step={field.kind === "int" ? 1 : "any"} inputMode={field.kind === "int" ? "numeric" : "decimal"} autoComplete="off" className="max-w-xs" />;
    case "duration":
      return <TextField {...props} placeholder="90d" autoComplete="off" spellCheck={false} className="max-w-xs" />;
    case "textarea":
      return <TextAreaField {...props} rows={4} />;
    case "lines":
      return <TextAreaField {...props} rows={4} spellCheck={false} className="[&_textarea]:font-mono" />;
    case "email":
      return <TextField {...props} type="email" autoComplete="off" placeholder={unset ? UNSET_LABEL : undefined} />;
    default:
      return <TextField {...props} autoComplete="off" placeholder={unset ? UNSET_LABEL : undefined} />;
  }
}

function ChangeList({ changes }: { changes: Change[] }) {
  return (
    <ul className="divide-y divide-slate-100" data-testid="change-summary">
      {changes.map((c) => (
        <li key={c.key} className="py-2">
          <p className="font-medium text-slate-900">{c.label}</p>
          <p className="mt-0.5 break-words text-slate-700">
            <span className="text-slate-500 line-through decoration-slate-300">{c.from}</span>
            <span aria-label="changes to"> → </span>
            <span className="font-medium">{c.to}</span>
          </p>
          {c.warning ? (
            <Alert tone="warning" className="mt-2">
              {c.warning}
            </Alert>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function DriftList({ drift }: { drift: ConfigDrift[] }) {
  return (
    <ul className="mt-2 list-disc space-y-1 pl-5" data-testid="conflict-keys">
      {drift.map((d) => (
        <li key={d.key}>
          <span className="font-medium">{d.label}</span>: was {d.loaded} when you opened the page, is now {d.current}
        </li>
      ))}
    </ul>
  );
}

/**
 * One settings section. "Review changes" checks every field (the same checks the server runs),
 * then lists each change old → new with a warning for risky ones; "Save changes" sends them.
 * The form keeps what the owner typed on any failure.
 */
export function SettingsForm({ targetId, listId, section, initial }: Props) {
  const router = useRouter();
  const [base, setBase] = useState<{ etag: string; values: CoreValues }>({ etag: initial.etag, values: initial.values });
  const fields = useMemo(() => sectionFields(section, initial.archivers), [section, initial.archivers]);
  const form = useForm<FormValues>({ defaultValues: toFormValues(fields, initial.values) });
  const [review, setReview] = useState<Change[] | null>(null);
  const [conflict, setConflict] = useState<{ drift: ConfigDrift[]; view: SectionView } | null>(null);
  const [banner, setBanner] = useState<{ tone: "error" | "success" | "info"; text: string } | null>(null);
  const { executeAsync, isPending } = useAction(saveSettingsAction);

  function adopt(view: { etag: string; values: CoreValues }, resetInputs: boolean) {
    setBase({ etag: view.etag, values: view.values });
    if (resetInputs) form.reset(toFormValues(fields, view.values));
    // The list header shows the display name and the advertised flag.
    if (section === "identity") router.refresh();
  }

  // Checked by hand rather than through handleSubmit, so that errors from the last attempt
  // (including the core's) never block a corrected review.
  function onReview(event: React.FormEvent) {
    event.preventDefault();
    setBanner(null);
    form.clearErrors();
    const diff = diffSection(fields, base.values, form.getValues());
    const invalid = Object.entries(diff.errors);
    for (const [key, message] of invalid) form.setError(key, { type: "validate", message });
    if (invalid.length > 0) {
      // The message sits under the fields, which may be above it or below: name them, and take
      // the owner to the first one.
      const names = invalid.map(([key]) => `“${fields.find((f) => f.key === key)?.label ?? key}”`);
      setBanner({ tone: "error", text: `Correct ${names.length === 1 ? "the field" : "the fields"} ${names.join(", ")}: each is marked with its problem.` });
      form.setFocus(invalid[0]![0]);
      return;
    }
    if (diff.changes.length === 0) {
      setBanner({ tone: "info", text: "Nothing has changed." });
      return;
    }
    setReview(diff.changes);
  }

  async function save(overwrite: boolean) {
    setBanner(null);
    let result: Awaited<ReturnType<typeof executeAsync>>;
    try {
      result = await executeAsync({ targetId, listId, section, etag: base.etag, original: base.values, values: form.getValues(), overwrite });
    } catch {
      setBanner({ tone: "error", text: NO_ANSWER });
      return;
    }
    setReview(null);
    const data = result?.data as SaveResult | undefined;
    if (!data) {
      const text = applyActionErrors(result, form.setError, fields.map((f) => f.key));
      if (text) setBanner({ tone: "error", text });
      return;
    }
    setConflict(null);
    switch (data.status) {
      case "unchanged":
        setBanner({ tone: "info", text: "Nothing has changed." });
        return;
      case "saved":
        adopt(data.view, true);
        setBanner({ tone: "success", text: `Saved ${data.changes.length === 1 ? "1 change" : `${data.changes.length} changes`}.` });
        return;
      case "conflict":
        setConflict({ drift: data.drift, view: data.view });
        return;
      case "rejected": {
        // Keep what the owner typed; compare future edits with what the core now holds (Q-3).
        adopt(data.view, false);
        for (const [key, message] of Object.entries(data.fieldErrors)) form.setError(key, { type: "server", message });
        const saved = data.saved.length ? ` It saved anyway: ${data.saved.map((c) => c.label).join(", ")}.` : " Nothing was saved.";
        setBanner({ tone: "error", text: `The Mailman server refused the change: ${data.message}.${saved}` });
        return;
      }
    }
  }

  return (
    <form onSubmit={onReview} className="space-y-5" noValidate>
      {fields.map((field) => (
        <SettingControl key={field.key} field={field} original={base.values[field.key]} form={form} />
      ))}
      {section === "archiving" && initial.archivers.length === 0 ? (
        <p className="text-sm text-slate-600">No archivers are enabled on this Mailman server, so there are none to switch on or off for this list.</p>
      ) : null}

      {conflict ? (
        <Alert tone="warning" title="Someone changed these settings since you opened this page">
          <DriftList drift={conflict.drift} />
          <p className="mt-2">
            Reload to see their values (your edits in this section are discarded), or overwrite: your changes are saved and replace theirs for the
            settings you changed.
          </p>
          <div className="mt-3 flex gap-2">
            <Button
              variant="secondary"
              onClick={() => {
                adopt(conflict.view, true);
                setConflict(null);
                setBanner({ tone: "info", text: "Reloaded the current settings." });
              }}
            >
              Reload
            </Button>
            <Button variant="danger" pending={isPending} onClick={() => void save(true)}>
              Overwrite anyway
            </Button>
          </div>
        </Alert>
      ) : null}
      {banner ? <Alert tone={banner.tone}>{banner.text}</Alert> : null}

      <div className="flex justify-end">
        <Button type="submit">Review changes</Button>
      </div>

      <Dialog.Root open={review !== null} onOpenChange={(open) => (open ? null : setReview(null))}>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 bg-slate-900/40" />
          <Dialog.Content className="fixed left-1/2 top-1/2 max-h-[85vh] w-[min(36rem,92vw)] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-lg bg-white p-6 shadow-xl">
            <Dialog.Title className="text-lg font-semibold text-slate-900">Review changes</Dialog.Title>
            <Dialog.Description className="mt-1 text-sm text-slate-600">
              {review?.length === 1 ? "This setting will change:" : `These ${review?.length ?? 0} settings will change:`}
            </Dialog.Description>
            <div className="mt-3 text-sm">{review ? <ChangeList changes={review} /> : null}</div>
            <div className="mt-4 flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button variant="secondary">Cancel</Button>
              </Dialog.Close>
              <Button pending={isPending} onClick={() => void save(false)}>
                Save changes
              </Button>
            </div>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </form>
  );
}

/** The write-only password moderators put in an `Approved:` header; the hash is never shown. */
export function ModeratorPasswordForm({ targetId, listId, isSet }: { targetId: number; listId: string; isSet: boolean }) {
  const [password, setPassword] = useState("");
  const [status, setStatus] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [set, setSet] = useState(isSet);
  const { executeAsync, isPending } = useAction(moderatorPasswordAction);

  async function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    setStatus(null);
    let result: Awaited<ReturnType<typeof executeAsync>>;
    try {
      result = await executeAsync({ targetId, listId, password });
    } catch {
      setStatus({ tone: "error", text: NO_ANSWER });
      return;
    }
    if (result?.data?.set) {
      setPassword("");
      setSet(true);
      setStatus({ tone: "success", text: "The moderator password was set." });
      return;
    }
    const fieldError = result?.validationErrors?.fieldErrors?.password?.[0];
    setStatus({ tone: "error", text: fieldError ?? result?.serverError?.message ?? "The password was not set." });
  }

  return (
    <Card
      title="Moderator password"
      description="Moderators can pre-approve a post by putting this password in an Approved: header. Listkeeper never shows it again."
    >
      <form onSubmit={onSubmit} className="space-y-3" noValidate>
        <p className="text-sm text-slate-700">{set ? "A moderator password is set." : "No moderator password is set."}</p>
        <TextField
          label={set ? "New moderator password" : "Moderator password"}
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          help="At least 8 characters."
          className="max-w-sm"
        />
        {status ? <Alert tone={status.tone}>{status.text}</Alert> : null}
        <div className="flex justify-end">
          <Button type="submit" variant="secondary" pending={isPending} disabled={password.length === 0}>
            Set moderator password
          </Button>
        </div>
      </form>
    </Card>
  );
}
