"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { applyActionErrors } from "@/components/forms/action-result";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/field";
import type { Preferences } from "@/lib/mailman/members";
import { deliveryModes } from "@/lib/mailman/schemas";
import { LANGUAGES, labelOf } from "@/lib/settings/catalogue";
import {
  adminDeliveryStatuses,
  emailFormSchema,
  INHERIT,
  LABELS,
  label,
  memberModerationChoices,
  preferencesFormSchema,
  type MemberModerationChoice,
  type PreferencesForm,
} from "@/lib/members/member-input";
import { changeAddressAction, unsubscribeAction, updateModerationAction, updatePreferencesAction } from "../actions";

interface MemberRef {
  targetId: number;
  listId: string;
  memberId: string;
}

const OFFLINE = "The request did not reach the server. Check your connection and try again.";

export function ModerationForm({ memberRef, current }: { memberRef: MemberRef; current: string }) {
  const router = useRouter();
  const [value, setValue] = useState(current);
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setMessage(null);
    try {
      const result = await updateModerationAction({ ...memberRef, action: value as MemberModerationChoice });
      if (result?.data) {
        setMessage({ tone: "success", text: `Moderation action saved: ${label(LABELS.moderation, value)}.` });
        router.refresh();
      } else setMessage({ tone: "error", text: result?.serverError?.message ?? "The request was not valid. Reload the page and try again." });
    } catch {
      setMessage({ tone: "error", text: OFFLINE });
    } finally {
      setPending(false);
    }
  }

  return (
    <Card title="Moderation" description="What happens to this address's posts. The list default is set in the list's Message Acceptance settings.">
      <form onSubmit={save} className="flex flex-wrap items-end gap-3" aria-label="Moderation">
        <SelectField
          label="Moderation action"
          name="action"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          options={memberModerationChoices.map((v) => ({ value: v, label: LABELS.moderation[v] }))}
          className="min-w-48"
        />
        <Button type="submit" pending={pending}>
          Save moderation
        </Button>
      </form>
      {message ? <Alert tone={message.tone} className="mt-3">{message.text}</Alert> : null}
    </Card>
  );
}

type PrefKey = keyof PreferencesForm;
/** The core's languages, the list's default first; a code set outside Listkeeper is shown as it is. */
function languageOptions(current: string): { value: string; label: string }[] {
  const options = [{ value: INHERIT, label: "The list's default" }, ...LANGUAGES.map((l) => ({ value: l.value, label: l.label }))];
  if (current && !options.some((o) => o.value === current)) options.push({ value: current, label: `${current} (current value)` });
  return options;
}

const BOOLEAN_PREFS: { key: Exclude<PrefKey, "delivery_mode" | "delivery_status" | "preferred_language">; label: string }[] = [
  { key: "receive_own_postings", label: "Receive own postings" },
  { key: "receive_list_copy", label: "Receive list copies (possible duplicates)" },
  { key: "acknowledge_posts", label: "Acknowledge posts" },
  { key: "hide_address", label: "Hide address in the roster" },
];

function inheritLabel(effective: unknown, map?: Record<string, string>): string {
  if (effective === undefined) return "Inherit";
  const text = typeof effective === "boolean" ? (effective ? "yes" : "no") : map ? label(map, String(effective)) : String(effective);
  return `Inherit (now: ${text})`;
}

export function PreferencesEditor({ memberRef, values, effective, bouncing }: { memberRef: MemberRef; values: PreferencesForm; effective: Preferences; bouncing: boolean }) {
  const router = useRouter();
  const [banner, setBanner] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const form = useForm<z.input<typeof preferencesFormSchema>, unknown, PreferencesForm>({ resolver: zodResolver(preferencesFormSchema), defaultValues: values });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (preferences) => {
    setBanner(null);
    setDone(null);
    try {
      const result = await updatePreferencesAction({ ...memberRef, preferences });
      if (!result?.data) {
        setBanner(applyActionErrors(result, form.setError, Object.keys(values)));
        return;
      }
      setDone(result.data.changed.length === 0 ? "Nothing to change." : "Preferences saved.");
      form.reset(preferences);
      router.refresh();
    } catch {
      setBanner(OFFLINE);
    }
  });

  // For inherited keys, the effective value comes from the address, the account or the site.
  const statusOptions = [
    { value: INHERIT, label: inheritLabel(values.delivery_status === INHERIT ? effective.delivery_status : undefined, LABELS.deliveryStatus) },
    ...adminDeliveryStatuses.map((v) => ({ value: v, label: LABELS.deliveryStatus[v] })),
    ...(bouncing ? [{ value: "by_bounces", label: LABELS.deliveryStatus.by_bounces }] : []),
  ];
  const tristate = (key: (typeof BOOLEAN_PREFS)[number]["key"]) => [
    { value: INHERIT, label: inheritLabel(values[key] === INHERIT ? effective[key] : undefined) },
    { value: "true", label: "Yes" },
    { value: "false", label: "No" },
  ];

  return (
    <Card title="Delivery and preferences" description="Values set here apply to this subscription only. “Inherit” uses the member's address, account or site setting.">
      <form onSubmit={onSubmit} noValidate className="grid gap-4 sm:grid-cols-2" aria-label="Delivery and preferences">
        <SelectField
          label="Delivery mode"
          {...form.register("delivery_mode")}
          error={errors.delivery_mode?.message}
          options={[
            { value: INHERIT, label: inheritLabel(values.delivery_mode === INHERIT ? effective.delivery_mode : undefined, LABELS.deliveryMode) },
            ...deliveryModes.map((v) => ({ value: v, label: LABELS.deliveryMode[v] })),
          ]}
        />
        <SelectField
          label="Delivery status"
          help={bouncing ? "Delivery was disabled because of bounces: choose Enabled to resume it." : undefined}
          {...form.register("delivery_status")}
          error={errors.delivery_status?.message}
          options={statusOptions}
        />
        {BOOLEAN_PREFS.map(({ key, label: text }) => (
          <SelectField key={key} label={text} {...form.register(key)} error={errors[key]?.message} options={tristate(key)} />
        ))}
        <SelectField
          label="Preferred language"
          help={effective.preferred_language && values.preferred_language === INHERIT ? `Now: ${labelOf(LANGUAGES, effective.preferred_language)}.` : undefined}
          {...form.register("preferred_language")}
          error={errors.preferred_language?.message}
          options={languageOptions(values.preferred_language)}
        />
        <div className="flex items-end justify-end sm:col-span-2">
          <Button type="submit" pending={isSubmitting}>
            Save preferences
          </Button>
        </div>
      </form>
      {banner ? <Alert tone="error" className="mt-3">{banner}</Alert> : null}
      {done ? <Alert tone="success" className="mt-3">{done}</Alert> : null}
    </Card>
  );
}

export function ChangeAddressForm({ memberRef, current }: { memberRef: MemberRef; current: string }) {
  const router = useRouter();
  const [banner, setBanner] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const form = useForm<z.input<typeof emailFormSchema>, unknown, z.output<typeof emailFormSchema>>({ resolver: zodResolver(emailFormSchema), defaultValues: { email: "" } });

  const onSubmit = form.handleSubmit(async ({ email }) => {
    setBanner(null);
    setDone(null);
    try {
      const result = await changeAddressAction({ ...memberRef, email });
      if (!result?.data) {
        setBanner(applyActionErrors(result, form.setError, ["email"]));
        return;
      }
      form.reset();
      setDone(`The subscription now uses ${result.data.email}; its preferences are kept.`);
      router.refresh();
    } catch {
      setBanner(OFFLINE);
    }
  });

  return (
    <Card title="Switch subscribed address" description={`Moves this subscription from ${current} to another verified address of the same person.`}>
      <form onSubmit={onSubmit} noValidate className="flex flex-wrap items-start gap-3" aria-label="Switch subscribed address">
        <TextField label="New address" type="email" autoComplete="off" className="min-w-64 grow" {...form.register("email")} error={form.formState.errors.email?.message} />
        <Button type="submit" variant="secondary" pending={form.formState.isSubmitting} className="mt-6">
          Switch address
        </Button>
      </form>
      {banner ? <Alert tone="error" className="mt-3">{banner}</Alert> : null}
      {done ? <Alert tone="success" className="mt-3">{done}</Alert> : null}
    </Card>
  );
}

export function UnsubscribeButton({ memberRef, email, role, rosterPath }: { memberRef: MemberRef; email: string; role: string; rosterPath: string }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const verb = role === "nonmember" ? "Remove" : "Unsubscribe";

  async function go() {
    setBusy(true);
    setMessage(null);
    try {
      const result = await unsubscribeAction(memberRef);
      if (!result?.data) {
        setMessage({ tone: "error", text: result?.serverError?.message ?? "The request was not valid. Reload the page and try again." });
      } else if (result.data.kind === "pending") {
        setConfirming(false);
        setMessage({ tone: "success", text: `The list's unsubscription policy needs a moderator: a request for ${email} is waiting under Requests.` });
      } else {
        router.push(rosterPath);
      }
    } catch {
      setMessage({ tone: "error", text: OFFLINE });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={role === "nonmember" ? "Remove this non-member" : "Unsubscribe"} description={role === "nonmember" ? undefined : "Runs the list's unsubscription policy (a goodbye message may be sent)."}>
      {confirming ? (
        <div role="group" aria-label={`Confirm ${verb.toLowerCase()} ${email}`} className="flex flex-wrap items-center gap-2">
          <span className="text-sm text-slate-700">
            {verb} {email}?
          </span>
          <Button variant="danger" autoFocus pending={busy} onClick={() => void go()}>
            Confirm
          </Button>
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
        </div>
      ) : (
        <Button variant="danger" aria-label={`${verb} ${email}`} onClick={() => setConfirming(true)}>
          {verb}
        </Button>
      )}
      {message ? <Alert tone={message.tone} className="mt-3">{message.text}</Alert> : null}
    </Card>
  );
}
