"use client";

import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { actionProblem, type SafeActionResultShape } from "@/components/forms/action-result";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";

export interface SimpleField {
  name: string;
  label: string;
  type?: "text" | "email" | "password";
  autoComplete?: string;
  help?: ReactNode;
  defaultValue?: string;
}

// The "bivariance hack" of React's own event handler types: a method's parameter is checked
// bivariantly, so an action whose schema names its fields (`{ email: string }`) fits as is.
type SimpleAction = {
  bivarianceHack(input: Record<string, unknown>): Promise<SafeActionResultShape<{ message?: string } | void> | undefined>;
}["bivarianceHack"];

/**
 * A small form for a server action with a few text fields: controlled inputs (what was typed
 * survives a refusal), errors next to the field the server names, the action's `message` shown
 * as success. `redirectTo` navigates after success instead.
 */
export function SimpleActionForm({
  action,
  fields,
  hidden = {},
  submitLabel,
  variant = "primary",
  redirectTo,
  resetOnSuccess = false,
  testId,
  honeypot,
  refreshOnSuccess = true,
}: {
  action: SimpleAction;
  fields: SimpleField[];
  hidden?: Record<string, string>;
  submitLabel: string;
  variant?: "primary" | "danger" | "secondary";
  redirectTo?: string;
  resetOnSuccess?: boolean;
  testId?: string;
  /** Name of a field people never see (bot trap); sent with whatever a bot typed into it. */
  honeypot?: string;
  /** Re-render the page after success; off where the page would no longer show this form (a spent link). */
  refreshOnSuccess?: boolean;
}) {
  const router = useRouter();
  const initial = Object.fromEntries(fields.map((f) => [f.name, f.defaultValue ?? ""]));
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setErrors({});
    setBanner(null);
    try {
      const trap = honeypot ? { [honeypot]: String(new FormData(event.currentTarget as HTMLFormElement).get(honeypot) ?? "") } : {};
      const result = await action({ ...hidden, ...values, ...trap });
      const problem = actionProblem(result);
      if (problem) {
        if (problem.field && fields.some((f) => f.name === problem.field)) setErrors({ [problem.field]: problem.message });
        else setBanner({ tone: "error", text: problem.message });
        return;
      }
      if (resetOnSuccess) setValues(initial);
      if (redirectTo) {
        router.push(redirectTo);
        return;
      }
      const message = result?.data && typeof result.data === "object" ? result.data.message : undefined;
      setBanner({ tone: "success", text: message ?? "Saved." });
      if (refreshOnSuccess) router.refresh();
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate data-testid={testId}>
      {honeypot ? (
        // Off-screen, not display:none (some bots skip hidden inputs); skipped by keyboard and screen readers.
        <div aria-hidden="true" className="absolute -left-[10000px] h-px w-px overflow-hidden">
          <label>
            Leave this empty
            <input type="text" name={honeypot} tabIndex={-1} autoComplete="off" defaultValue="" />
          </label>
        </div>
      ) : null}
      {fields.map((f) => (
        <TextField
          key={f.name}
          name={f.name}
          label={f.label}
          type={f.type ?? "text"}
          autoComplete={f.autoComplete}
          help={f.help}
          value={values[f.name] ?? ""}
          onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
          error={errors[f.name]}
        />
      ))}
      {banner ? (
        <Alert tone={banner.tone}>
          {banner.text}
        </Alert>
      ) : null}
      <Button type="submit" variant={variant} pending={pending}>
        {submitLabel}
      </Button>
    </form>
  );
}
