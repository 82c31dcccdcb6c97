"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { actionProblem } from "@/components/forms/action-result";
import { Address } from "@/components/ui/address";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CheckboxField } from "@/components/ui/field";
import type { RemovePreview } from "@/lib/people/remove-everywhere";
import type { RemovableRole } from "@/lib/people/remove-plan";
import { previewRemoveEverywhereAction, startRemoveEverywhereAction } from "./actions";

const ROLE_WORDS: Record<string, string> = { member: "Member", owner: "Owner", moderator: "Moderator", nonmember: "Non-member (has posted)" };

/**
 * The "Remove everywhere…" panel under a search for one address: choose the roles (member only
 * unless owner or moderator is ticked) and the global ban, see what will happen per list (and
 * where the person is the last owner, which is refused), then type the address to start the job.
 */
export function RemoveEverywhere({ address, otherAddresses, targetId }: { address: string; otherAddresses: string[]; targetId?: number }) {
  const router = useRouter();
  const [roles, setRoles] = useState<Record<RemovableRole, boolean>>({ member: true, owner: false, moderator: false });
  const [globalBan, setGlobalBan] = useState(false);
  const [others, setOthers] = useState(false);
  const [preview, setPreview] = useState<RemovePreview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const input = () => ({
    address,
    roles: (Object.keys(roles) as RemovableRole[]).filter((r) => roles[r]),
    globalBan,
    otherAddresses: others,
    targetId,
  });
  // Any change of the choices makes the preview stale: it is shown again on request only.
  const change = <T,>(set: (value: T) => void) => (value: T) => {
    set(value);
    setPreview(null);
  };

  async function showPreview(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setProblem(null);
    try {
      const result = await previewRemoveEverywhereAction(input());
      const failure = actionProblem(result);
      if (failure || !result?.data) setProblem(failure?.message ?? "The preview could not be made.");
      else setPreview(result.data);
    } catch {
      setProblem("The request did not reach the server. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  const removals = preview?.items.filter((i) => i.kind === "membership" && i.action === "remove") ?? [];
  const refusals = preview?.items.filter((i) => i.action === "refuse_last_owner") ?? [];
  const banItems = preview?.items.filter((i) => i.kind === "ban") ?? [];

  return (
    <div className="space-y-4" data-testid="remove-everywhere">
      <form onSubmit={showPreview} className="space-y-3">
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-900">Roles to remove</legend>
          <CheckboxField label="Member (subscriptions)" checked={roles.member} onChange={(e) => change(setRoles)({ ...roles, member: e.target.checked })} />
          <CheckboxField
            label="Owner"
            help="Refused on any list that would be left without an owner."
            checked={roles.owner}
            onChange={(e) => change(setRoles)({ ...roles, owner: e.target.checked })}
          />
          <CheckboxField label="Moderator" checked={roles.moderator} onChange={(e) => change(setRoles)({ ...roles, moderator: e.target.checked })} />
        </fieldset>
        {otherAddresses.length > 0 ? (
          <CheckboxField
            label="Also the person's other addresses"
            help={otherAddresses.join(", ")}
            checked={others}
            onChange={(e) => change(setOthers)(e.target.checked)}
          />
        ) : null}
        <CheckboxField
          label="Also ban globally"
          help="Adds a site-wide ban on every server searched, so the address cannot subscribe again anywhere."
          checked={globalBan}
          onChange={(e) => change(setGlobalBan)(e.target.checked)}
        />
        <Button type="submit" variant="secondary" pending={pending} disabled={!roles.member && !roles.owner && !roles.moderator}>
          Preview the removal
        </Button>
      </form>
      {problem ? <Alert tone="error">{problem}</Alert> : null}

      {preview ? (
        <section aria-label="Preview" className="space-y-3" data-testid="remove-preview">
          {preview.problems.map((p) => (
            <Alert key={`${p.targetName}:${p.problem}`} tone="warning" title={`${p.targetName}: not included`}>
              {p.problem}
            </Alert>
          ))}
          <p className="text-sm text-slate-700">
            {removals.length} {removals.length === 1 ? "membership" : "memberships"} will be removed
            {refusals.length ? `, ${refusals.length} refused (last owner)` : ""}
            {banItems.length ? `, ${banItems.length} global ${banItems.length === 1 ? "ban" : "bans"} added` : ""}.
          </p>
          {preview.items.length > 0 ? (
            <div className="overflow-x-auto rounded-lg ring-1 ring-slate-200">
              <table className="min-w-full divide-y divide-slate-200 text-sm">
                <caption className="sr-only">What the job will do</caption>
                <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                  <tr>
                    <th scope="col" className="px-3 py-2">List</th>
                    <th scope="col" className="px-3 py-2">Server</th>
                    <th scope="col" className="px-3 py-2">Role</th>
                    <th scope="col" className="px-3 py-2">Address</th>
                    <th scope="col" className="px-3 py-2">Will be</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {preview.items.map((i) => (
                    <tr key={`${i.kind}:${i.targetId}:${i.listId}:${i.role}:${i.email}`} data-testid="remove-preview-row">
                      <td className="px-3 py-1.5 font-mono break-words">{i.kind === "ban" ? "Global ban" : i.listId}</td>
                      <td className="px-3 py-1.5">{i.targetName}</td>
                      <td className="px-3 py-1.5">{i.role ? ROLE_WORDS[i.role] : "—"}</td>
                      <td className="px-3 py-1.5 font-mono"><Address email={i.email} /></td>
                      <td className="px-3 py-1.5 whitespace-nowrap">
                        {i.action === "remove" ? <Badge tone="amber">Removed</Badge> : i.action === "ban" ? <Badge tone="red">Banned</Badge> : <Badge tone="slate">Refused: last owner</Badge>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {preview.kept.length > 0 ? (
            <p className="text-sm text-slate-600">
              Kept (role not chosen): {preview.kept.map((k) => `${k.listId} (${ROLE_WORDS[k.role] ?? k.role})`).join(", ")}.
            </p>
          ) : null}
          {removals.length + banItems.length > 0 ? (
            <ConfirmDialog
              trigger={<Button variant="danger">Remove everywhere…</Button>}
              title={`Remove ${preview.address} everywhere`}
              description={
                <>
                  <p>
                    {removals.length} {removals.length === 1 ? "membership" : "memberships"} will be removed without notice
                    {banItems.length ? ` and ${banItems.length} global ${banItems.length === 1 ? "ban" : "bans"} added` : ""}. This cannot be undone from here.
                  </p>
                  {refusals.length ? <p>{refusals.length} owner {refusals.length === 1 ? "role stays" : "roles stay"}: the list would have no owner left.</p> : null}
                </>
              }
              confirmText={preview.address}
              actionLabel="Remove everywhere"
              onConfirm={async (typed) => {
                try {
                  const result = await startRemoveEverywhereAction({ ...input(), confirmation: typed });
                  const failure = actionProblem(result);
                  if (failure || !result?.data) return failure?.message ?? "The job could not be started.";
                  router.push(`/admin/people/jobs/${result.data.jobId}`);
                  return null;
                } catch {
                  return "The request did not reach the server. Check your connection and try again.";
                }
              }}
            />
          ) : (
            <Alert tone="info">Nothing to remove with these choices.</Alert>
          )}
        </section>
      ) : null}
    </div>
  );
}
