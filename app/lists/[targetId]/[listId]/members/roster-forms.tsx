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
import { TextField } from "@/components/ui/field";
import { emailFormSchema, type StaffRole } from "@/lib/members/member-input";
import { addStaffAction, removeStaffAction } from "./actions";

type FormInput = z.input<typeof emailFormSchema>;
type FormOutput = z.output<typeof emailFormSchema>;

const OFFLINE = "The request did not reach the server. Check your connection and try again.";

export function AddStaffForm({ targetId, listId, role }: { targetId: number; listId: string; role: StaffRole }) {
  const router = useRouter();
  const [banner, setBanner] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const form = useForm<FormInput, unknown, FormOutput>({ resolver: zodResolver(emailFormSchema), defaultValues: { email: "" } });
  const noun = role === "owner" ? "owner" : "moderator";

  const onSubmit = form.handleSubmit(async ({ email }) => {
    setBanner(null);
    setDone(null);
    setPending(true);
    try {
      const result = await addStaffAction({ targetId, listId, role, email });
      if (!result?.data) {
        setBanner(applyActionErrors(result, form.setError, ["email"]));
        return;
      }
      form.reset();
      setDone(`${result.data.email} is now a ${noun}.`);
      router.refresh();
    } catch {
      setBanner(OFFLINE);
    } finally {
      setPending(false);
    }
  });

  return (
    <Card
      title={role === "owner" ? "Add an owner" : "Add a moderator"}
      description={
        role === "owner"
          ? "Owners change the list's settings, members and roles, and moderate messages. No confirmation e-mail is sent."
          : "Moderators handle held messages and requests; they cannot change settings. No confirmation e-mail is sent."
      }
    >
      <form onSubmit={onSubmit} noValidate className="flex flex-wrap items-start gap-3" aria-label={role === "owner" ? "Add an owner" : "Add a moderator"}>
        <TextField label="Email address" type="email" autoComplete="off" className="min-w-64 grow" {...form.register("email")} error={form.formState.errors.email?.message} />
        <Button type="submit" pending={pending} className="mt-6">
          {role === "owner" ? "Add owner" : "Add moderator"}
        </Button>
      </form>
      {banner ? <Alert tone="error" className="mt-3">{banner}</Alert> : null}
      {done ? <Alert tone="success" className="mt-3">{done}</Alert> : null}
    </Card>
  );
}

export function RemoveStaffButton({ targetId, listId, role, email }: { targetId: number; listId: string; role: StaffRole; email: string }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const noun = role === "owner" ? "owner" : "moderator";

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      const result = await removeStaffAction({ targetId, listId, role, email });
      if (result?.data) {
        setConfirming(false);
        router.refresh();
      } else setError(result?.serverError?.message ?? "The request was not valid. Reload the page and try again.");
    } catch {
      setError(OFFLINE);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-col items-end gap-2">
      {confirming ? (
        <div role="group" aria-label={`Confirm removing ${email}`} className="flex flex-wrap items-center justify-end gap-2">
          <span className="text-slate-700">
            Remove {email} as {noun}?
          </span>
          <Button variant="danger" autoFocus pending={busy} onClick={() => void remove()}>
            Confirm removal
          </Button>
          <Button variant="secondary" onClick={() => (setConfirming(false), setError(null))}>
            Cancel
          </Button>
        </div>
      ) : (
        <Button variant="secondary" aria-label={`Remove ${email} as ${noun}`} onClick={() => setConfirming(true)}>
          Remove
        </Button>
      )}
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
