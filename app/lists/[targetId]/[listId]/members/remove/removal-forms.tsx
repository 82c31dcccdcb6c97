"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { AddressInput, type AddressInputValue } from "@/components/members/address-input";
import { PreflightTable, type PredictionStyle } from "@/components/members/preflight-table";
import { listPath } from "@/components/list-header";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CheckboxField } from "@/components/ui/field";
import type { Preflight, RemovePrediction } from "@/lib/members/mass-operations";
import { preflightRemoveAction, startMassRemoveAction, startRemoveAllAction } from "../bulk-actions";

const STYLES: Record<RemovePrediction, PredictionStyle> = {
  remove: { label: "To remove", tone: "red" },
  not_member: { label: "Not a member", tone: "slate" },
};

const OFFLINE = "The request did not reach the server. Check your connection and try again; your addresses are still here.";

type ActionResult = { serverError?: { message: string; field?: string }; validationErrors?: { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> } };

function problemOf(result: ActionResult | undefined): { field?: string; message: string } | null {
  if (!result) return { message: OFFLINE };
  if (result.serverError) return result.serverError;
  for (const [field, messages] of Object.entries(result.validationErrors?.fieldErrors ?? {})) if (messages?.[0]) return { field, message: messages[0] };
  const form = result.validationErrors?.formErrors?.[0];
  return form ? { message: form } : null;
}

function NotifyOption({ checked, onChange }: { checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <CheckboxField
      label="Notify members (slower)"
      help="Unsubscribes one member at a time through the list's unsubscription policy: goodbye messages and owner notices are sent, and a moderated policy files requests instead. Without it the core removes members directly and silently, hundreds per call."
      checked={checked}
      onChange={(e) => onChange(e.target.checked)}
    />
  );
}

function BackupLink({ href }: { href: string }) {
  return (
    <p className="text-sm">
      <a href={href} download className="font-semibold text-indigo-700 hover:underline">
        Download a backup of the roster (CSV)
      </a>{" "}
      <span className="text-slate-600">first: every member with name, delivery and moderation settings, to put them back if needed.</span>
    </p>
  );
}

export function MassRemovalForm({ targetId, listId, backupHref }: { targetId: number; listId: string; backupHref: string }) {
  const router = useRouter();
  const [addresses, setAddresses] = useState<AddressInputValue>({ format: "text", input: "", fileName: null });
  const [notify, setNotify] = useState(false);
  const [preflight, setPreflight] = useState<Preflight<RemovePrediction> | null>(null);
  const [problem, setProblem] = useState<{ field?: string; message: string } | null>(null);
  const [pending, setPending] = useState<"check" | "start" | null>(null);

  async function check(event: React.FormEvent) {
    event.preventDefault();
    setProblem(null);
    setPending("check");
    try {
      const result = await preflightRemoveAction({ targetId, listId, format: addresses.format, input: addresses.input });
      if (result?.data) setPreflight(result.data);
      else setProblem(problemOf(result));
    } catch {
      setProblem({ message: OFFLINE });
    } finally {
      setPending(null);
    }
  }

  async function start() {
    setProblem(null);
    setPending("start");
    try {
      const result = await startMassRemoveAction({ targetId, listId, format: addresses.format, input: addresses.input, options: { notify } });
      if (result?.data) {
        router.push(listPath(targetId, listId, `/members/jobs/${result.data.jobId}`));
        return;
      }
      setProblem(problemOf(result));
    } catch {
      setProblem({ message: OFFLINE });
    }
    setPending(null);
  }

  const toRemove = preflight?.counts.remove ?? 0;
  return (
    <Card title="Remove listed addresses" description="Paste addresses or choose a CSV file; nothing is removed before you have seen who is a member.">
      <form onSubmit={check} noValidate className="space-y-4" aria-label="Remove listed addresses">
        <AddressInput
          label="Addresses to remove"
          value={addresses}
          onChange={(next) => {
            setAddresses(next);
            setPreflight(null);
            setProblem(null);
          }}
          error={problem?.field === "input" ? problem.message : undefined}
        />
        <NotifyOption checked={notify} onChange={setNotify} />
        {problem && problem.field !== "input" ? (
          <Alert tone="error" title="Nothing was removed">
            {problem.message}
          </Alert>
        ) : null}
        {!preflight ? (
          <Button type="submit" pending={pending === "check"}>
            Check addresses
          </Button>
        ) : (
          <div className="space-y-4">
            <PreflightTable preflight={preflight} styles={STYLES} />
            <BackupLink href={backupHref} />
            <div className="flex flex-wrap gap-3">
              <Button type="button" variant="danger" disabled={toRemove === 0} pending={pending === "start"} onClick={() => void start()}>
                Remove {toRemove.toLocaleString("en")} {toRemove === 1 ? "member" : "members"}
              </Button>
              <Button type="submit" variant="secondary" pending={pending === "check"}>
                Check again
              </Button>
            </div>
          </div>
        )}
      </form>
    </Card>
  );
}

export function RemoveAllForm({ targetId, listId, memberCount, backupHref }: { targetId: number; listId: string; memberCount: number; backupHref: string }) {
  const router = useRouter();
  const [notify, setNotify] = useState(false);
  if (memberCount === 0) {
    return (
      <Card title="Remove all members">
        <p className="text-sm text-slate-600">The list has no members.</p>
      </Card>
    );
  }
  const count = String(memberCount);
  return (
    <Card title="Remove all members" description={`The list has ${memberCount.toLocaleString("en")} ${memberCount === 1 ? "member" : "members"}. Owners, moderators and non-members stay.`}>
      <div className="space-y-4">
        <BackupLink href={backupHref} />
        <NotifyOption checked={notify} onChange={setNotify} />
        <ConfirmDialog
          trigger={<Button variant="danger">Remove all {memberCount.toLocaleString("en")} members…</Button>}
          title={`Remove all ${memberCount.toLocaleString("en")} members?`}
          description={
            <>
              <p>
                Every member of <span className="font-mono">{listId}</span> is removed{notify ? " through the unsubscription policy, with goodbye messages" : ", directly and without notice"}. This
                cannot be undone from here: keep the backup to subscribe them again.
              </p>
              <p>Type the number of members to confirm.</p>
            </>
          }
          confirmText={count}
          actionLabel="Remove all members"
          onConfirm={async (typed) => {
            try {
              const result = await startRemoveAllAction({ targetId, listId, options: { notify }, confirmCount: Number(typed.trim()) });
              if (result?.data) {
                router.push(listPath(targetId, listId, `/members/jobs/${result.data.jobId}`));
                return null;
              }
              return problemOf(result)?.message ?? "The server refused the request.";
            } catch {
              return OFFLINE;
            }
          }}
        />
      </div>
    </Card>
  );
}
