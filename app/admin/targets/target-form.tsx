"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useAction } from "next-safe-action/hooks";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import type { z } from "zod";
import { applyActionErrors } from "@/components/forms/action-result";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CheckboxField, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { MODE_LABEL, modeMeaning, TARGET_MODES, type TargetMode } from "@/lib/provisioning/modes";
import { createTargetSchema, updateTargetSchema } from "@/lib/targets/target-input";
import type { ConnectionReport, TargetSummary } from "@/lib/targets/targets";
import { hostnameProblem } from "@/lib/validation/hostname";
import { PlanView } from "@/components/registry/plan-view";
import type { PlanAnswer } from "@/lib/registry/plan-request";
import { planAction } from "../registry/actions";
import { createTargetAction, deleteTargetAction, testConnectionAction, updateTargetAction } from "./actions";

/** What the edit form receives: the stored settings, never the password. */
export type EditableTarget = Omit<TargetSummary, "lastVerifiedAt" | "updatedAt">;

// The edit form has no id field (it comes from the props) and may leave the password empty.
const editSchema = updateTargetSchema.omit({ id: true });
// The edit schema's input (password optional) also accepts everything the create form sends.
type FormInput = z.input<typeof editSchema>;
type FormOutput = z.output<typeof createTargetSchema>;

const createResolver = zodResolver<FormInput, unknown, FormOutput>(createTargetSchema);
const editResolver = zodResolver<FormInput, unknown, FormOutput>(editSchema);

const formFields = [
  "name",
  "description",
  "serverUrl",
  "adminUser",
  "adminPassword",
  "domain",
  "mode",
  "retryIntervalS",
  "maxRetry",
  "prefEmailType",
  "unmanagedEmailMode",
  "addressConflictMode",
  "userCreation",
  "welcomeMessage",
  "quietUnsubscribe",
  "syncDisplayName",
  "deleteStaleAddresses",
] as const;

// Fields whose errors sit inside the collapsed policies group: a failure there opens it.
const policyFields = new Set<string>(formFields.slice(9));

const modeOptions = TARGET_MODES.map((m) => ({ value: m, label: MODE_LABEL[m] }));

const emailTypeOptions = [
  { value: "", label: "Automatic (list, delivery, preferred, forwarding, official, personal, recovery)" },
  { value: "list", label: "Mailing list" },
  { value: "delivery", label: "Delivery" },
  { value: "preferred", label: "Preferred" },
  { value: "forwarding", label: "Forwarding" },
  { value: "official", label: "Official" },
  { value: "personal", label: "Personal" },
  { value: "recovery", label: "Recovery" },
];

function defaultsFor(target: EditableTarget | undefined): FormInput {
  if (!target) {
    return {
      name: "",
      description: "",
      serverUrl: "",
      adminUser: "restadmin",
      adminPassword: "",
      domain: "",
      mode: "automatic",
      retryIntervalS: 900,
      maxRetry: 5,
      prefEmailType: "",
      unmanagedEmailMode: "remove",
      addressConflictMode: "fail",
      userCreation: "lazy",
      welcomeMessage: "suppress",
      quietUnsubscribe: true,
      syncDisplayName: true,
      deleteStaleAddresses: true,
    };
  }
  return {
    name: target.name,
    description: target.description,
    serverUrl: target.serverUrl,
    adminUser: target.adminUser,
    adminPassword: "",
    domain: target.domain,
    mode: target.mode,
    retryIntervalS: target.retryIntervalS,
    maxRetry: target.maxRetry,
    prefEmailType: target.prefEmailType ?? "",
    unmanagedEmailMode: target.unmanagedEmailMode,
    addressConflictMode: target.addressConflictMode,
    userCreation: target.userCreation,
    welcomeMessage: target.welcomeMessage,
    quietUnsubscribe: target.quietUnsubscribe,
    syncDisplayName: target.syncDisplayName,
    deleteStaleAddresses: target.deleteStaleAddresses,
  };
}

type TestResult = Pick<ConnectionReport, "ok" | "message" | "domainExists"> & { domain?: string };

function firstValidationMessage(errors: { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> } | undefined): string | undefined {
  if (!errors) return undefined;
  return errors.formErrors?.[0] ?? Object.values(errors.fieldErrors ?? {}).find((m) => m?.[0])?.[0];
}

/** Registers a new Mailman server (no `target`) or edits a registered one. */
export function TargetForm({ target }: { target?: EditableTarget }) {
  const router = useRouter();
  const editing = Boolean(target);
  const [banner, setBanner] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [policiesOpen, setPoliciesOpen] = useState(false);
  const form = useForm<FormInput, unknown, FormOutput>({
    resolver: editing ? editResolver : createResolver,
    defaultValues: defaultsFor(target),
  });
  const { errors } = form.formState;
  const unmanagedMode = useWatch({ control: form.control, name: "unmanagedEmailMode" });
  const [mode, retryIntervalS, maxRetry] = useWatch({ control: form.control, name: ["mode", "retryIntervalS", "maxRetry"] });
  const create = useAction(createTargetAction);
  const update = useAction(updateTargetAction);

  const connectionTest = useMutation({
    mutationFn: async (input: { id?: number; serverUrl: string; adminUser: string; adminPassword: string; domain?: string }): Promise<TestResult> => {
      const result = await testConnectionAction(input);
      if (result?.data) return { ...result.data, domain: input.domain };
      return {
        ok: false,
        message: result?.serverError?.message ?? firstValidationMessage(result?.validationErrors) ?? "No answer from the server. Try again.",
      };
    },
  });

  async function testConnection() {
    // Only the connection fields matter here; the rest of the form may still be incomplete.
    if (!(await form.trigger(["serverUrl", "adminUser"]))) return;
    const values = form.getValues();
    const domain = values.domain.trim().toLowerCase();
    connectionTest.mutate({
      id: target?.id,
      serverUrl: values.serverUrl,
      adminUser: values.adminUser,
      adminPassword: values.adminPassword ?? "",
      domain: domain && !hostnameProblem(domain) ? domain : undefined,
    });
  }

  function showFailure(result: Parameters<typeof applyActionErrors>[0]) {
    setBanner(applyActionErrors(result, form.setError, formFields));
    const failed = [...Object.keys(result?.validationErrors?.fieldErrors ?? {}), result?.serverError?.field ?? ""];
    if (failed.some((f) => policyFields.has(f))) setPoliciesOpen(true);
  }

  const onSubmit = form.handleSubmit(
    async (values) => {
      setBanner(null);
      setSaved(false);
      if (!target) {
        const result = await create.executeAsync(values);
        if (result?.data) router.push(`/admin/targets/${result.data.id}`);
        else showFailure(result);
        return;
      }
      const result = await update.executeAsync({ ...values, id: target.id });
      if (!result || result.serverError || result.validationErrors) return showFailure(result);
      // The typed password is stored now; it should not linger in the page.
      form.reset({ ...values, prefEmailType: values.prefEmailType ?? "", adminPassword: "" });
      setSaved(true);
    },
    (invalid) => {
      if (Object.keys(invalid).some((f) => policyFields.has(f))) setPoliciesOpen(true);
    },
  );

  const pending = create.isPending || update.isPending;
  const report = connectionTest.data;

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-6">
      <Card title="Connection" description="Where Listkeeper reaches the Mailman core's REST API and which credentials it uses.">
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="Name" autoComplete="off" help="Shown in Listkeeper only, e.g. “Production”." {...form.register("name")} error={errors.name?.message} />
          <TextField
            label="REST URL"
            type="url"
            inputMode="url"
            autoComplete="off"
            placeholder="http://127.0.0.1:8001"
            help="The core's REST address without /3.1 (mailman.cfg [webservice] hostname and port)."
            {...form.register("serverUrl")}
            error={errors.serverUrl?.message}
          />
          <TextField
            label="Admin user"
            autoComplete="off"
            help="mailman.cfg [webservice] admin_user."
            {...form.register("adminUser")}
            error={errors.adminUser?.message}
          />
          <TextField
            label="Admin password"
            type="password"
            autoComplete="new-password"
            placeholder={editing ? "Leave empty to keep the stored password" : undefined}
            help={
              editing
                ? "Leave empty to keep the stored password. Retype it if you change the REST URL or the admin user."
                : "mailman.cfg [webservice] admin_pass. Stored encrypted; it is never shown again."
            }
            {...form.register("adminPassword")}
            error={errors.adminPassword?.message}
          />
          <TextField
            label="List domain"
            autoComplete="off"
            placeholder="lists.example.org"
            help="The mail domain provisioned lists live in. Saving creates it in the core if it is missing."
            {...form.register("domain")}
            error={errors.domain?.message}
          />
          <TextAreaField
            label="Description"
            rows={2}
            help="Optional notes for other administrators."
            {...form.register("description")}
            error={errors.description?.message}
          />
        </div>

        <div className="mt-4 space-y-3">
          <Button variant="secondary" onClick={testConnection} pending={connectionTest.isPending}>
            Test connection
          </Button>
          {report ? (
            <Alert tone={report.ok ? "success" : "error"} className="max-w-2xl">
              <span data-testid="connection-result">{report.message}</span>
              {report.ok && report.domain && report.domainExists === false ? (
                <span className="block">The domain {report.domain} does not exist in this core yet; saving creates it.</span>
              ) : null}
              {report.ok && report.domain && report.domainExists ? <span className="block">The domain {report.domain} exists.</span> : null}
              {report.ok ? <span className="block text-xs">Nothing was saved.</span> : null}
            </Alert>
          ) : null}
        </div>
      </Card>

      <Card title="Provisioning mode" description="When registry changes reach this Mailman server, and what happens when it cannot be reached.">
        <div className="grid gap-4 sm:grid-cols-3">
          <SelectField
            label="Mode"
            options={modeOptions}
            help={<span data-testid="mode-meaning">{modeMeaning((mode ?? "automatic") as TargetMode, { retryIntervalS: Number.isFinite(retryIntervalS) ? Number(retryIntervalS) : 900, maxRetry: Number.isFinite(maxRetry) ? Number(maxRetry) : 5 })}</span>}
            {...form.register("mode")}
            error={errors.mode?.message}
          />
          <TextField
            label="Retry interval (seconds)"
            type="number"
            inputMode="numeric"
            min={1}
            max={86_400}
            help="How long a run waits before it tries again after the server could not be reached (Queue and Queue on error modes)."
            {...form.register("retryIntervalS", { valueAsNumber: true })}
            error={errors.retryIntervalS?.message}
          />
          <TextField
            label="Attempts at most"
            type="number"
            inputMode="numeric"
            min={0}
            max={100}
            help="After this many attempts a run that cannot reach the server stays failed (the sync console offers “Retry now”)."
            {...form.register("maxRetry", { valueAsNumber: true })}
            error={errors.maxRetry?.message}
          />
        </div>
      </Card>

      <details
        open={policiesOpen}
        onToggle={(e) => setPoliciesOpen(e.currentTarget.open)}
        className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200"
      >
        <summary className="cursor-pointer text-base font-semibold text-slate-900">Provisioning policies</summary>
        <p className="mt-1 text-sm text-slate-600" data-testid="policies-scope">
          These apply to provisioning only: when Listkeeper keeps the lists it provisions on this server in step with its registry of people and
          groups (the JSON API v1 and `npm run lk`). Lists managed by hand are never touched by them.
        </p>
        <div className="mt-4 grid gap-4 sm:grid-cols-2">
          <SelectField
            label="Preferred email type"
            options={emailTypeOptions}
            help="Which of a person's addresses gets subscribed when they have several."
            {...form.register("prefEmailType")}
            error={errors.prefEmailType?.message}
          />
          <SelectField
            label="Unmanaged subscribers"
            options={[
              { value: "remove", label: "Remove them" },
              { value: "ignore", label: "Leave them alone" },
            ]}
            help={
              unmanagedMode === "remove"
                ? "Remove them: when provisioning runs, anyone on a provisioned list's members, owners or moderators whom Listkeeper did not add there is unsubscribed from that list (quietly, without a goodbye message). Their Mailman account and their other lists stay. Nonmember entries are never touched."
                : "Leave them alone: people Listkeeper did not add stay on provisioned lists; provisioning only adds and removes the people it manages."
            }
            {...form.register("unmanagedEmailMode")}
            error={errors.unmanagedEmailMode?.message}
          />
          <SelectField
            label="Address conflicts"
            options={[
              { value: "fail", label: "Stop and report the conflict" },
              { value: "adopt", label: "Adopt the Mailman user if it holds only this person's addresses" },
              { value: "absorb", label: "Merge the other Mailman user into this person's" },
            ]}
            help="When an address already belongs to a Mailman user that Listkeeper did not create."
            {...form.register("addressConflictMode")}
            error={errors.addressConflictMode?.message}
          />
          <SelectField
            label="Mailman user creation"
            options={[
              { value: "lazy", label: "When the person first joins a list" },
              { value: "all_active", label: "For every active person" },
            ]}
            help="When a person gets an account in Mailman."
            {...form.register("userCreation")}
            error={errors.userCreation?.message}
          />
          <SelectField
            label="Welcome message"
            options={[
              { value: "list_default", label: "Use each list's setting" },
              { value: "send", label: "Send it" },
              { value: "suppress", label: "Do not send it" },
            ]}
            help="Whether people added by provisioning receive the list's welcome email."
            {...form.register("welcomeMessage")}
            error={errors.welcomeMessage?.message}
          />
        </div>
        {target ? <PolicyPlan targetId={target.id} values={() => form.getValues()} /> : null}
        <div className="mt-4 space-y-3">
          <CheckboxField
            label="Quiet unsubscribe"
            help="Members removed by provisioning get no goodbye email and the owners no notice."
            {...form.register("quietUnsubscribe")}
          />
          {/* The label avoids the word "name" so that the "Name" field stays the only match for it. */}
          <CheckboxField
            label="Keep Mailman profiles current"
            help="When a person's name changes, update their display name in Mailman too (otherwise it is set only once)."
            {...form.register("syncDisplayName")}
          />
          <CheckboxField
            label="Delete stale addresses"
            help="Remove addresses from Mailman when the person no longer has them."
            {...form.register("deleteStaleAddresses")}
          />
        </div>
      </details>

      {banner ? <Alert tone="error">{banner}</Alert> : null}
      {saved && !form.formState.isDirty ? <Alert tone="success">Saved. The connection was checked before saving.</Alert> : null}
      <div className="flex justify-end">
        <Button type="submit" pending={pending}>
          {editing ? "Save server" : "Add server"}
        </Button>
      </div>
    </form>
  );
}

/**
 * Plan before acting: what saving these policies would change in Mailman (the reconcile a save
 * queues, planned by the executor on the values as they are in the form, nothing saved).
 */
function PolicyPlan({ targetId, values }: { targetId: number; values: () => FormInput }) {
  const [plan, setPlan] = useState<PlanAnswer | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function show() {
    const v = values();
    setPending(true);
    setProblem(null);
    try {
      const result = await planAction({
        kind: "updateTargetPolicy",
        targetId,
        input: { prefEmailType: v.prefEmailType?.trim() ? v.prefEmailType.trim() : null, unmanagedEmailMode: v.unmanagedEmailMode ?? "remove", addressConflictMode: v.addressConflictMode ?? "fail" },
      });
      if (result?.data) setPlan(result.data);
      else setProblem(result?.serverError?.message ?? "The plan could not be computed. Check the fields above.");
    } catch {
      setProblem("No answer from the server. Try again.");
    } finally {
      setPending(false);
    }
  }
  return (
    <div className="mt-4 space-y-3 rounded-md bg-slate-50 p-3">
      <div className="flex flex-wrap items-center gap-3">
        <Button type="button" variant="secondary" onClick={() => void show()} pending={pending}>
          Show what these policies would change
        </Button>
        <span className="text-sm text-slate-600">Preferred email type, unmanaged subscribers and address conflicts apply to every provisioned list: saving a change reconciles the server.</span>
      </div>
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      {plan ? <PlanView summary={plan.summary} jobCount={plan.jobCount} /> : null}
    </div>
  );
}

/** Forgets a registered server after a typed confirmation of its name. */
export function DeleteTargetSection({ id, name }: { id: number; name: string }) {
  const router = useRouter();
  return (
    <Card
      title="Delete this server"
      description="Listkeeper forgets the server's address, credentials and policies. The Mailman server and its lists are not touched."
    >
      <ConfirmDialog
        trigger={<Button variant="danger">Delete server</Button>}
        title={`Delete “${name}” from Listkeeper?`}
        description={
          <>
            <p>Listkeeper will forget this server: its REST URL, its stored credentials and its provisioning policies.</p>
            <p>The Mailman server itself is left untouched: its domains, lists, members and archives stay as they are.</p>
          </>
        }
        confirmText={name}
        actionLabel="Delete server"
        onConfirm={async (typed) => {
          const result = await deleteTargetAction({ id, confirm: typed });
          if (!result) return "No answer from the server. Try again.";
          if (result.serverError) return result.serverError.message;
          if (result.validationErrors) return firstValidationMessage(result.validationErrors) ?? "The request was not valid.";
          router.push("/admin/targets");
          return null;
        }}
      />
    </Card>
  );
}
