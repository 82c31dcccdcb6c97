"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { applyActionErrors } from "@/components/forms/action-result";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card, EmptyState } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { TextField } from "@/components/ui/field";
import { createDomainSchema, domainFieldsSchema } from "@/lib/domains/domain-input";
import type { DomainRow } from "@/lib/domains/domains";
import { createDomainAction, deleteDomainAction, domainDeletionPreviewAction, updateDomainAction } from "./actions";

const createFormSchema = createDomainSchema.omit({ targetId: true });
type CreateInput = z.input<typeof createFormSchema>;
type CreateOutput = z.output<typeof createFormSchema>;
type EditInput = z.input<typeof domainFieldsSchema>;
type EditOutput = z.output<typeof domainFieldsSchema>;

function listsWillBeDeleted(count: number): string {
  if (count === 0) return "No lists will be deleted: the domain has none.";
  return `${count} ${count === 1 ? "list" : "lists"} will be deleted with it, with all their members, settings and held messages.`;
}

export function CreateDomainForm({ targetId }: { targetId: number }) {
  const [banner, setBanner] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const form = useForm<CreateInput, unknown, CreateOutput>({
    resolver: zodResolver(createFormSchema),
    defaultValues: { mailHost: "", description: "", aliasDomain: "" },
  });
  const { errors } = form.formState;
  const { executeAsync, isPending } = useAction(createDomainAction);

  const onSubmit = form.handleSubmit(async (values) => {
    setBanner(null);
    setCreated(null);
    const result = await executeAsync({ ...values, targetId });
    if (!result || result.serverError || result.validationErrors) {
      setBanner(applyActionErrors(result, form.setError, ["mailHost", "description", "aliasDomain"]));
      return;
    }
    form.reset();
    setCreated(values.mailHost);
  });

  return (
    <Card title="Create a domain" description="A domain is the part after the @ in a list's address.">
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField
            label="Mail host"
            autoComplete="off"
            placeholder="lists.example.org"
            help="It cannot be changed later."
            {...form.register("mailHost")}
            error={errors.mailHost?.message}
          />
          <TextField label="Description" autoComplete="off" help="Optional." {...form.register("description")} error={errors.description?.message} />
          <TextField
            label="Alias domain"
            autoComplete="off"
            help="Only for unusual Postfix setups; leave empty otherwise."
            {...form.register("aliasDomain")}
            error={errors.aliasDomain?.message}
          />
        </div>
        {banner ? <Alert tone="error">{banner}</Alert> : null}
        {created && !form.formState.isDirty ? <Alert tone="success">Domain {created} created.</Alert> : null}
        <div className="flex justify-end">
          <Button type="submit" pending={isPending}>
            Create domain
          </Button>
        </div>
      </form>
    </Card>
  );
}

export function DomainTable({ targetId, domains, listDomain }: { targetId: number; domains: DomainRow[]; listDomain: string }) {
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div className="space-y-3">
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {domains.length === 0 ? (
        <EmptyState title="This server has no domains">Create one above.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-3">Mail host</th>
                <th scope="col" className="px-4 py-3">Description</th>
                <th scope="col" className="px-4 py-3">Alias domain</th>
                <th scope="col" className="px-4 py-3 text-right">Lists</th>
                <th scope="col" className="px-4 py-3"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {domains.map((domain) => (
                <DomainTableRow
                  key={domain.mailHost}
                  targetId={targetId}
                  domain={domain}
                  isListDomain={domain.mailHost === listDomain}
                  onDeleted={(listsDeleted) =>
                    setNotice(`Deleted ${domain.mailHost}${listsDeleted > 0 ? ` and its ${listsDeleted} ${listsDeleted === 1 ? "list" : "lists"}` : ""}.`)
                  }
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function DomainTableRow({
  targetId,
  domain,
  isListDomain,
  onDeleted,
}: {
  targetId: number;
  domain: DomainRow;
  isListDomain: boolean;
  onDeleted: (listsDeleted: number) => void;
}) {
  const [editing, setEditing] = useState(false);
  if (editing) {
    return (
      <tr>
        <td colSpan={5} className="bg-slate-50 px-4 py-3">
          <EditDomainForm targetId={targetId} domain={domain} onDone={() => setEditing(false)} />
        </td>
      </tr>
    );
  }
  return (
    <tr data-mail-host={domain.mailHost}>
      <td className="px-4 py-3 font-medium">
        {domain.mailHost}
        {isListDomain ? (
          <span className="ml-2">
            <Badge tone="indigo">list domain</Badge>
          </span>
        ) : null}
      </td>
      <td className="px-4 py-3 text-slate-700">{domain.description}</td>
      <td className="px-4 py-3 text-slate-700">{domain.aliasDomain}</td>
      <td className="px-4 py-3 text-right tabular-nums">{domain.listCount}</td>
      <td className="px-4 py-3">
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setEditing(true)}>
            Edit<span className="sr-only"> {domain.mailHost}</span>
          </Button>
          <ConfirmDialog
            trigger={<Button variant="danger">Delete domain</Button>}
            title={`Delete the domain ${domain.mailHost}?`}
            description={<DeletionPreview targetId={targetId} domain={domain} isListDomain={isListDomain} />}
            confirmText={domain.mailHost}
            actionLabel="Delete domain"
            onConfirm={async (typed) => {
              const result = await deleteDomainAction({ targetId, mailHost: domain.mailHost, confirm: typed });
              if (!result) return "No answer from the server. Try again.";
              if (result.serverError) return result.serverError.message;
              if (result.validationErrors) return "The request was not valid. Reload the page and try again.";
              onDeleted(result.data?.listsDeleted ?? 0);
              return null;
            }}
          />
        </div>
      </td>
    </tr>
  );
}

/**
 * Mounted when the dialog opens: shows the count the page already has at once, then asks the
 * core for the current count and the first ten list names.
 */
function DeletionPreview({ targetId, domain, isListDomain }: { targetId: number; domain: DomainRow; isListDomain: boolean }) {
  const preview = useQuery({
    queryKey: ["domain-deletion-preview", targetId, domain.mailHost],
    staleTime: 0,
    retry: false,
    queryFn: async () => {
      const result = await domainDeletionPreviewAction({ targetId, mailHost: domain.mailHost });
      if (result?.data) return result.data;
      throw new Error(result?.serverError?.message ?? "The list names could not be loaded.");
    },
  });
  const count = preview.data?.listCount ?? domain.listCount;
  const names = preview.data?.firstLists ?? [];
  return (
    <>
      <p className="font-medium text-red-800" data-testid="deletion-count">
        {listsWillBeDeleted(count)}
      </p>
      {preview.isPending && count > 0 ? <p className="text-slate-500">Loading the list names…</p> : null}
      {names.length > 0 ? (
        <ul className="list-inside list-disc font-mono text-xs">
          {names.map((name) => (
            <li key={name}>{name}</li>
          ))}
          {count > names.length ? <li className="list-none font-sans text-slate-600">…and {count - names.length} more</li> : null}
        </ul>
      ) : null}
      {preview.isError ? <Alert tone="warning">{preview.error.message} The count above is from when the page was loaded.</Alert> : null}
      {isListDomain ? (
        <p>This is the list domain of this server: provisioning creates its lists here. Saving the server again recreates the domain, empty.</p>
      ) : null}
      <p>This cannot be undone.</p>
    </>
  );
}

function EditDomainForm({ targetId, domain, onDone }: { targetId: number; domain: DomainRow; onDone: () => void }) {
  const [banner, setBanner] = useState<string | null>(null);
  const form = useForm<EditInput, unknown, EditOutput>({
    resolver: zodResolver(domainFieldsSchema),
    defaultValues: { description: domain.description, aliasDomain: domain.aliasDomain },
  });
  const { errors } = form.formState;
  const { executeAsync, isPending } = useAction(updateDomainAction);

  const onSubmit = form.handleSubmit(async (values) => {
    setBanner(null);
    const result = await executeAsync({ ...values, targetId, mailHost: domain.mailHost });
    if (!result || result.serverError || result.validationErrors) {
      setBanner(applyActionErrors(result, form.setError, ["description", "aliasDomain"]));
      return;
    }
    onDone();
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label={`Edit ${domain.mailHost}`}>
      <p className="text-sm font-semibold text-slate-900">{domain.mailHost}</p>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label="Description" autoComplete="off" autoFocus {...form.register("description")} error={errors.description?.message} />
        <TextField
          label="Alias domain"
          autoComplete="off"
          help="Only for unusual Postfix setups; leave empty otherwise."
          {...form.register("aliasDomain")}
          error={errors.aliasDomain?.message}
        />
      </div>
      {banner ? <Alert tone="error">{banner}</Alert> : null}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" pending={isPending}>
          Save domain
        </Button>
      </div>
    </form>
  );
}
