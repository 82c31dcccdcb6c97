"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { actionProblem } from "@/components/forms/action-result";
import { PlanThenAct } from "@/components/registry/plan-then-act";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CheckboxField, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { groupCreateInput } from "@/lib/registry/inputs";
import { addMembersAction, createGroupAction, deleteGroupAction, jobStatusAction, planAction, putMembershipAction, removeMembershipAction, updateGroupAction } from "../actions";
import { JobProgress } from "@/components/registry/job-progress";

function firstErrors(issues: { path: PropertyKey[]; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) out[String(i.path[0])] ??= i.message;
  return out;
}

export function CreateGroupForm() {
  const router = useRouter();
  const [values, setValues] = useState({ name: "", description: "", externalId: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setErrors({});
    setBanner(null);
    const parsed = groupCreateInput.safeParse({ name: values.name, description: values.description, externalId: values.externalId.trim() || null });
    if (!parsed.success) return setErrors(firstErrors(parsed.error.issues));
    setPending(true);
    try {
      const result = await createGroupAction(parsed.data);
      const problem = actionProblem(result);
      if (problem) return problem.field ? setErrors({ [problem.field]: problem.message }) : setBanner(problem.message);
      router.push(`/admin/registry/groups/${result!.data!.id}`);
    } finally {
      setPending(false);
    }
  }
  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <TextField label="Name" name="name" value={values.name} onChange={(e) => setValues({ ...values, name: e.target.value })} error={errors.name} required />
      <TextAreaField label="Description" name="description" value={values.description} onChange={(e) => setValues({ ...values, description: e.target.value })} error={errors.description} rows={2} />
      <TextField label="External id (optional)" name="externalId" value={values.externalId} onChange={(e) => setValues({ ...values, externalId: e.target.value })} error={errors.externalId} />
      {banner ? <Alert tone="error">{banner}</Alert> : null}
      <Button type="submit" pending={pending}>Create group</Button>
    </form>
  );
}

export function EditGroupForm({ group }: { group: { id: number; name: string; description: string; externalId: string | null } }) {
  const router = useRouter();
  const [values, setValues] = useState({ name: group.name, description: group.description, externalId: group.externalId ?? "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, setPending] = useState(false);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setErrors({});
    setBanner(null);
    const parsed = groupCreateInput.partial().safeParse({ name: values.name, description: values.description, externalId: values.externalId.trim() || null });
    if (!parsed.success) return setErrors(firstErrors(parsed.error.issues));
    setPending(true);
    try {
      const result = await updateGroupAction({ groupId: group.id, input: { name: parsed.data.name, description: parsed.data.description, externalId: parsed.data.externalId } });
      const problem = actionProblem(result);
      if (problem) return problem.field ? setErrors({ [problem.field]: problem.message }) : setBanner({ tone: "error", text: problem.message });
      setBanner({ tone: "success", text: "Saved. A name or description reaches no list." });
      router.refresh();
    } finally {
      setPending(false);
    }
  }
  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <TextField label="Name" name="name" value={values.name} onChange={(e) => setValues({ ...values, name: e.target.value })} error={errors.name} required />
      <TextAreaField label="Description" name="description" value={values.description} onChange={(e) => setValues({ ...values, description: e.target.value })} error={errors.description} rows={2} />
      <TextField label="External id (optional)" name="externalId" value={values.externalId} onChange={(e) => setValues({ ...values, externalId: e.target.value })} error={errors.externalId} />
      {banner ? <Alert tone={banner.tone}>{banner.text}</Alert> : null}
      <Button type="submit" variant="secondary" pending={pending}>Save group</Button>
    </form>
  );
}

/** Suspend or activate: every list bound to the group is reconciled, so the plan comes first. */
export function GroupStatusControl({ groupId, status }: { groupId: number; status: string }) {
  const next = status === "active" ? "suspended" : "active";
  const verb = next === "suspended" ? "Suspend group" : "Activate group";
  return (
    <PlanThenAct
      planLabel={`${verb}: show plan`}
      applyLabel={verb}
      danger={next === "suspended"}
      plan={() => planAction({ kind: "updateGroup", groupId, input: { status: next } })}
      apply={() => updateGroupAction({ groupId, input: { status: next } })}
      statusAction={jobStatusAction}
    />
  );
}

export function DeleteGroupControl({ groupId, name }: { groupId: number; name: string }) {
  return (
    <PlanThenAct
      planLabel="Delete group: show plan"
      applyLabel="Delete group"
      danger
      confirmText={name}
      plan={() => planAction({ kind: "deleteGroup", groupId })}
      apply={(typed) => deleteGroupAction({ groupId, confirm: typed })}
      statusAction={jobStatusAction}
      doneLink={() => ({ href: "/admin/registry/groups", label: "Back to the groups" })}
    />
  );
}

export function AddMembersForm({ groupId }: { groupId: number }) {
  const router = useRouter();
  const [text, setText] = useState("");
  const [format, setFormat] = useState<"text" | "csv">("text");
  const [owner, setOwner] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ message: string; jobIds: number[] } | null>(null);
  const [pending, setPending] = useState(false);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    setDone(null);
    if (!text.trim()) return setError("Paste at least one address, or choose a CSV file.");
    setPending(true);
    try {
      const result = await addMembersAction({ groupId, text, format, owner });
      const problem = actionProblem(result);
      if (problem) return setError(problem.message);
      setDone({ message: result!.data!.message, jobIds: result!.data!.jobIds });
      setText("");
      router.refresh();
    } finally {
      setPending(false);
    }
  }
  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <TextAreaField
        label="Addresses"
        name="addresses"
        rows={5}
        value={text}
        onChange={(e) => setText(e.target.value)}
        error={error ?? undefined}
        help="One per line, as address or Name <address>. An address no one in the registry has becomes a new person."
        controlClassName="font-mono"
      />
      <div className="flex flex-wrap items-end gap-4">
        <label className="text-sm text-slate-800">
          Or load a CSV file
          <span className="block text-xs text-slate-500">a column of e-mail, optionally a name column</span>
          <input
            type="file"
            accept=".csv,text/csv"
            className="mt-1 block text-sm"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              setText(await file.text());
              setFormat("csv");
            }}
          />
        </label>
        <SelectField label="Format" name="format" value={format} onChange={(e) => setFormat(e.target.value as "text" | "csv")} options={[{ value: "text", label: "Pasted lines" }, { value: "csv", label: "CSV" }]} />
      </div>
      <CheckboxField label="Also owners of the group" checked={owner} onChange={(e) => setOwner(e.target.checked)} />
      <Button type="submit" pending={pending}>Add members</Button>
      {done ? (
        <div role="status" className="space-y-1">
          <p className="text-sm text-emerald-800">{done.message}</p>
          <JobProgress ids={done.jobIds} statusAction={jobStatusAction} />
        </div>
      ) : null}
    </form>
  );
}

export function RemoveMemberButton({ groupId, personId }: { groupId: number; personId: number }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <span>
      <button
        type="button"
        className="text-sm font-medium text-red-700 hover:underline disabled:opacity-50"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          const problem = actionProblem(await removeMembershipAction({ groupId, personId }));
          setPending(false);
          if (problem) setError(problem.message);
          else router.refresh();
        }}
      >
        Remove
      </button>
      {error ? <span className="ml-2 text-red-700">{error}</span> : null}
    </span>
  );
}

const toLocal = (iso: string | null) => (iso ? iso.slice(0, 16) : "");
const fromLocal = (v: string) => (v ? new Date(`${v}:00Z`).toISOString() : null);

/** One membership's flags and validity window (times in UTC), saved with the API's schema. */
export function MembershipEditor({ groupId, personId, membership }: { groupId: number; personId: number; membership: { member: boolean; owner: boolean; validFrom: string | null; validThrough: string | null } }) {
  const router = useRouter();
  const [m, setM] = useState({ member: membership.member, owner: membership.owner, validFrom: toLocal(membership.validFrom), validThrough: toLocal(membership.validThrough) });
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <details>
      <summary className="cursor-pointer text-sm text-indigo-700">Edit</summary>
      <form
        className="mt-2 space-y-2"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          setPending(true);
          try {
            const problem = actionProblem(await putMembershipAction({ groupId, personId, membership: { member: m.member, owner: m.owner, validFrom: fromLocal(m.validFrom), validThrough: fromLocal(m.validThrough) } }));
            if (problem) setError(problem.message);
            else router.refresh();
          } finally {
            setPending(false);
          }
        }}
      >
        <CheckboxField label="Member" checked={m.member} onChange={(e) => setM({ ...m, member: e.target.checked })} />
        <CheckboxField label="Owner" checked={m.owner} onChange={(e) => setM({ ...m, owner: e.target.checked })} />
        <TextField label="Valid from (UTC)" type="datetime-local" value={m.validFrom} onChange={(e) => setM({ ...m, validFrom: e.target.value })} />
        <TextField label="Valid through (UTC)" type="datetime-local" value={m.validThrough} onChange={(e) => setM({ ...m, validThrough: e.target.value })} />
        {error ? <p role="alert" className="text-sm text-red-700">{error}</p> : null}
        <Button type="submit" variant="secondary" pending={pending}>Save membership</Button>
      </form>
    </details>
  );
}
