"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { actionProblem } from "@/components/forms/action-result";
import { PlanThenAct } from "@/components/registry/plan-then-act";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { ADDRESS_TYPE_ORDER, PERSON_STATUSES } from "@/lib/provisioning/desired";
import { personCreateInput, personUpdateInput } from "@/lib/registry/inputs";
import { createPersonAction, deletePersonAction, jobStatusAction, planAction, provisionPersonAction, updatePersonAction } from "../actions";
import { JobProgress } from "@/components/registry/job-progress";

interface EmailRow {
  id?: number;
  address: string;
  type: string;
  verified: boolean;
}

export interface PersonValues {
  displayName: string;
  givenName: string;
  familyName: string;
  status: (typeof PERSON_STATUSES)[number];
  externalId: string;
  emails: EmailRow[];
}

const TYPES = [...ADDRESS_TYPE_ORDER];

/** Create or edit a person with typed addresses (order matters: the oldest wins ties, §2.4). */
export function PersonForm({ personId, initial }: { personId?: number; initial?: PersonValues }) {
  const router = useRouter();
  const [v, setV] = useState<PersonValues>(initial ?? { displayName: "", givenName: "", familyName: "", status: "active", externalId: "", emails: [{ address: "", type: "official", verified: false }] });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [jobIds, setJobIds] = useState<number[] | null>(null);
  const [pending, setPending] = useState(false);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setErrors({});
    setBanner(null);
    const input = { ...v, externalId: v.externalId.trim() || null, emails: v.emails.filter((x) => x.address.trim() !== "").map((x) => ({ ...x, address: x.address.trim() })) };
    const update = personId ? personUpdateInput.safeParse(input) : null;
    const create = personId ? null : personCreateInput.safeParse(input);
    const issues = update?.error?.issues ?? create?.error?.issues;
    if (issues) {
      const out: Record<string, string> = {};
      for (const i of issues) out[i.path.slice(0, 2).join(".")] ??= i.message;
      setErrors(out);
      return;
    }
    setPending(true);
    try {
      const result = personId && update?.data ? await updatePersonAction({ personId, input: update.data }) : await createPersonAction(create!.data!);
      const problem = actionProblem(result);
      if (problem) return problem.field ? setErrors({ [problem.field]: problem.message }) : setBanner({ tone: "error", text: problem.message });
      const data = result!.data as { id?: number; jobIds: number[] };
      if (!personId && data.id) return router.push(`/admin/registry/people/${data.id}`);
      setBanner({ tone: "success", text: "Saved." });
      setJobIds(data.jobIds);
      router.refresh();
    } finally {
      setPending(false);
    }
  }
  const setEmail = (i: number, patch: Partial<EmailRow>) => setV((x) => ({ ...x, emails: x.emails.map((e, j) => (j === i ? { ...e, ...patch } : e)) }));
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Display name" value={v.displayName} onChange={(e) => setV({ ...v, displayName: e.target.value })} error={errors.displayName} />
        <TextField label="External id (optional)" value={v.externalId} onChange={(e) => setV({ ...v, externalId: e.target.value })} error={errors.externalId} />
        <TextField label="Given name" value={v.givenName} onChange={(e) => setV({ ...v, givenName: e.target.value })} error={errors.givenName} />
        <TextField label="Family name" value={v.familyName} onChange={(e) => setV({ ...v, familyName: e.target.value })} error={errors.familyName} />
        <SelectField label="Status" value={v.status} onChange={(e) => setV({ ...v, status: e.target.value as PersonValues["status"] })} options={PERSON_STATUSES.map((s) => ({ value: s, label: s }))} />
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Addresses</legend>
        {v.emails.map((e, i) => (
          <div key={e.id ?? `new-${i}`} className="flex flex-wrap items-end gap-2">
            <TextField className="min-w-60 flex-1" label={`Address ${i + 1}`} type="email" value={e.address} onChange={(ev) => setEmail(i, { address: ev.target.value })} error={errors[`emails.${i}`]} />
            <SelectField label="Type" value={e.type} onChange={(ev) => setEmail(i, { type: ev.target.value })} options={(TYPES.includes(e.type as never) ? TYPES : [...TYPES, e.type]).map((t) => ({ value: t, label: t }))} />
            <label className="flex items-center gap-1 pb-2 text-sm">
              <input type="checkbox" checked={e.verified} onChange={(ev) => setEmail(i, { verified: ev.target.checked })} /> verified
            </label>
            <Button variant="ghost" onClick={() => setV((x) => ({ ...x, emails: x.emails.filter((_, j) => j !== i) }))}>Remove</Button>
          </div>
        ))}
        {errors.emails ? <p role="alert" className="text-sm text-red-700">{errors.emails}</p> : null}
        <Button variant="secondary" onClick={() => setV((x) => ({ ...x, emails: [...x.emails, { address: "", type: "official", verified: false }] }))}>Add an address</Button>
      </fieldset>
      {banner ? <Alert tone={banner.tone}>{banner.text}</Alert> : null}
      <Button type="submit" pending={pending}>{personId ? "Save person" : "Create person"}</Button>
      {jobIds ? <JobProgress ids={jobIds} statusAction={jobStatusAction} /> : null}
    </form>
  );
}

export function ProvisionPersonControl({ personId }: { personId: number }) {
  return (
    <PlanThenAct
      planLabel="Provision now: show plan"
      applyLabel="Provision now"
      plan={() => planAction({ kind: "provisionPerson", personId })}
      apply={() => provisionPersonAction({ personId })}
      statusAction={jobStatusAction}
    />
  );
}

export function DeletePersonControl({ personId, confirmText }: { personId: number; confirmText: string }) {
  return (
    <PlanThenAct
      planLabel="Delete person: show plan"
      applyLabel="Delete person"
      danger
      confirmText={confirmText}
      plan={() => planAction({ kind: "deletePerson", personId })}
      apply={(typed) => deletePersonAction({ personId, confirm: typed })}
      statusAction={jobStatusAction}
      doneLink={() => ({ href: "/admin/registry/people", label: "Back to the people" })}
    />
  );
}
