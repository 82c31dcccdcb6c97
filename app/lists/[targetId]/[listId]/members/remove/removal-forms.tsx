"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { AddressInput, type AddressInputValue } from "@/components/members/address-input";
import { actionProblem, OFFLINE_MESSAGE } from "@/components/forms/action-result";
import { PreflightTable, type PredictionStyle } from "@/components/members/preflight-table";
import { useBulkForm } from "@/components/members/use-bulk-form";
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
  const [addresses, setAddresses] = useState<AddressInputValue>({ format: "text", input: "", fileName: null });
  const [notify, setNotify] = useState(false);
  const { preflight, problem, pending, check, start, reset } = useBulkForm<Preflight<RemovePrediction>>({
    jobHref: (jobId) => listPath(targetId, listId, `/members/jobs/${jobId}`),
  });
  const onCheck = (event: React.FormEvent) => {
    event.preventDefault();
    void check(() => preflightRemoveAction({ targetId, listId, format: addresses.format, input: addresses.input }));
  };
  const onStart = () => void start(() => startMassRemoveAction({ targetId, listId, format: addresses.format, input: addresses.input, options: { notify } }));

  const toRemove = preflight?.counts.remove ?? 0;
  return (
    <Card title="Remove listed addresses" description="Paste addresses or choose a CSV file; nothing is removed before you have seen who is a member.">
      <form onSubmit={onCheck} noValidate className="space-y-4" aria-label="Remove listed addresses">
        <AddressInput
          label="Addresses to remove"
          value={addresses}
          onChange={(next) => {
            setAddresses(next);
            reset();
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
              <Button type="button" variant="danger" disabled={toRemove === 0} pending={pending === "start"} onClick={onStart}>
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
              return actionProblem(result)?.message ?? "The server refused the request.";
            } catch {
              return OFFLINE_MESSAGE;
            }
          }}
        />
      </div>
    </Card>
  );
}
