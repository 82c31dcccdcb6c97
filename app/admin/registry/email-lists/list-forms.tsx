"use client";

import { useState } from "react";
import { PlanThenAct } from "@/components/registry/plan-then-act";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { emailListCreateInput, emailListUpdateInput } from "@/lib/registry/inputs";
import { createEmailListAction, deleteEmailListAction, jobStatusAction, planAction, provisionEmailListAction, updateEmailListAction } from "../actions";

interface Option {
  id: number;
  name: string;
}

export interface EmailListValues {
  targetId: number | null;
  name: string;
  description: string;
  status: "active" | "suspended";
  membershipMode: "group" | "self_service";
  membersGroupId: number | null;
  adminsGroupId: number | null;
  moderatorsGroupId: number | null;
  eligibilityGroupId: number | null;
}

const GROUP_FIELDS = [
  ["membersGroupId", "Members group"],
  ["adminsGroupId", "Owners group"],
  ["moderatorsGroupId", "Moderators group"],
  ["eligibilityGroupId", "Eligibility group (self-service)"],
] as const;

/**
 * Create or edit an email list: validated in the browser with the API's own schema
 * (lib/registry/inputs.ts) and again by the action; the plan of what saving would do in Mailman
 * is shown before anything is saved.
 */
export function EmailListForm({ targets, groups, emailListId, initial, provisioned }: { targets: Option[]; groups: Option[]; emailListId?: number; initial?: EmailListValues; provisioned?: boolean }) {
  const [v, setV] = useState<EmailListValues>(
    initial ?? { targetId: targets[0]?.id ?? null, name: "", description: "", status: "active", membershipMode: "group", membersGroupId: null, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: null },
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const groupOptions = [{ value: "", label: "— none —" }, ...groups.map((g) => ({ value: String(g.id), label: g.name }))];
  const { targetId, ...rest } = v;
  const createInput = { ...rest, targetId };
  const check = (): string | null => {
    const parsed = emailListId ? emailListUpdateInput.safeParse(rest) : emailListCreateInput.safeParse(createInput);
    if (parsed.success) {
      setErrors({});
      return null;
    }
    const out: Record<string, string> = {};
    for (const i of parsed.error.issues) out[String(i.path[0])] ??= i.message;
    setErrors(out);
    return "Correct the fields marked below.";
  };
  const set = <K extends keyof EmailListValues>(key: K, value: EmailListValues[K]) => setV((x) => ({ ...x, [key]: value }));
  return (
    <div className="space-y-4">
      {emailListId ? null : (
        <SelectField label="Server" name="targetId" value={v.targetId ? String(v.targetId) : ""} onChange={(e) => set("targetId", e.target.value ? Number(e.target.value) : null)} options={targets.map((t) => ({ value: String(t.id), label: t.name }))} error={errors.targetId} />
      )}
      <TextField
        label="Name"
        name="name"
        value={v.name}
        onChange={(e) => set("name", e.target.value)}
        error={errors.name}
        disabled={provisioned}
        help={provisioned ? "Mailman 3 cannot rename a list: the name is fixed once provisioned." : "The list's local part; lower-cased in Mailman."}
      />
      <TextAreaField label="Description" name="description" rows={2} value={v.description} onChange={(e) => set("description", e.target.value)} error={errors.description} />
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField label="Status" name="status" value={v.status} onChange={(e) => set("status", e.target.value as EmailListValues["status"])} options={[{ value: "active", label: "active" }, { value: "suspended", label: "suspended (members removed, list kept)" }]} />
        <SelectField
          label="Membership mode"
          name="membershipMode"
          value={v.membershipMode}
          onChange={(e) => set("membershipMode", e.target.value as EmailListValues["membershipMode"])}
          options={[{ value: "group", label: "group: the members group decides" }, { value: "self_service", label: "self_service: people choose, within the eligibility group" }]}
        />
        {GROUP_FIELDS.map(([key, label]) => (
          <SelectField key={key} label={label} name={key} value={v[key] ? String(v[key]) : ""} onChange={(e) => set(key, e.target.value ? Number(e.target.value) : null)} options={groupOptions} error={errors[key]} />
        ))}
      </div>
      <PlanThenAct
        planLabel={emailListId ? "Show plan of saving" : "Show plan"}
        applyLabel={emailListId ? "Save list" : "Create list"}
        onBeforePlan={check}
        // `onBeforePlan` has checked the input with the same schema, so parse() cannot throw here.
        plan={() => (emailListId ? planAction({ kind: "updateEmailList", emailListId, input: rest }) : planAction({ kind: "createEmailList", input: emailListCreateInput.parse(createInput) }))}
        apply={() => (emailListId ? updateEmailListAction({ emailListId, input: rest }) : createEmailListAction(emailListCreateInput.parse(createInput)))}
        statusAction={jobStatusAction}
        doneLink={emailListId ? undefined : (data) => ({ href: `/admin/registry/email-lists/${data.id}`, label: "Open the new list" })}
      />
    </div>
  );
}

export function ProvisionListControl({ emailListId }: { emailListId: number }) {
  return (
    <PlanThenAct
      planLabel="Provision now: show plan"
      applyLabel="Provision now"
      plan={() => planAction({ kind: "provisionEmailList", emailListId })}
      apply={() => provisionEmailListAction({ emailListId })}
      statusAction={jobStatusAction}
    />
  );
}

export function DeleteListControl({ emailListId, name }: { emailListId: number; name: string }) {
  return (
    <PlanThenAct
      planLabel="Delete list: show plan"
      applyLabel="Delete list"
      danger
      confirmText={name}
      plan={() => planAction({ kind: "deleteEmailList", emailListId })}
      apply={(typed) => deleteEmailListAction({ emailListId, confirm: typed })}
      statusAction={jobStatusAction}
      doneLink={() => ({ href: "/admin/registry/email-lists", label: "Back to the email lists" })}
    />
  );
}
