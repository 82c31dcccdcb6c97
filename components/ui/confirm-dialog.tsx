"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { useId, useState, type ReactNode } from "react";
import { Alert } from "./alert";
import { Button } from "./button";

interface ConfirmDialogProps {
  trigger: ReactNode;
  title: string;
  description: ReactNode;
  /** What the user must type to enable the action; the action receives it for a server-side check. */
  confirmText: string;
  actionLabel: string;
  /** Resolves to an error message, or null when done. */
  onConfirm: (typed: string) => Promise<string | null>;
}

/** A destructive action behind a typed confirmation (the server checks the text again). */
export function ConfirmDialog({ trigger, title, description, confirmText, actionLabel, onConfirm }: ConfirmDialogProps) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const inputId = useId();
  const matches = typed.trim().toLowerCase() === confirmText.toLowerCase();

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!matches) return;
    setPending(true);
    setError(null);
    try {
      const problem = await onConfirm(typed);
      if (problem) setError(problem);
      else setOpen(false);
    } finally {
      setPending(false);
    }
  }

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          setTyped("");
          setError(null);
        }
      }}
    >
      <Dialog.Trigger asChild>{trigger}</Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 bg-slate-900/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 w-[min(32rem,92vw)] -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl">
          <Dialog.Title className="text-lg font-semibold text-slate-900">{title}</Dialog.Title>
          <Dialog.Description asChild>
            <div className="mt-2 space-y-2 text-sm text-slate-700">{description}</div>
          </Dialog.Description>
          <form onSubmit={submit} className="mt-4 space-y-3">
            <label htmlFor={inputId} className="block text-sm text-slate-800">
              Type <code className="rounded bg-slate-100 px-1 font-mono">{confirmText}</code> to confirm
            </label>
            <input
              id={inputId}
              autoComplete="off"
              autoFocus
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              className="block w-full rounded-md px-3 py-2 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-red-600"
            />
            {error ? <Alert tone="error">{error}</Alert> : null}
            <div className="flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button variant="secondary">Cancel</Button>
              </Dialog.Close>
              <Button type="submit" variant="danger" disabled={!matches} pending={pending}>
                {actionLabel}
              </Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
