"use client";

import { useAction } from "next-safe-action/hooks";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { createConnectorAction, revokeConnectorAction, updateMappingAction } from "./actions";

type Row = { scimType: string; addressType: string };

const toRows = (map: Record<string, string>): Row[] => Object.entries(map).map(([scimType, addressType]) => ({ scimType, addressType }));

/** Rows → map; an error when a SCIM type is empty or repeated. */
function toMap(rows: readonly Row[]): { map: Record<string, string> } | { error: string } {
  const map: Record<string, string> = {};
  for (const r of rows) {
    const key = r.scimType.trim().toLowerCase();
    if (!key) return { error: "Every row needs a SCIM type (work, home, other …)." };
    if (key in map) return { error: `The SCIM type "${key}" is listed twice.` };
    map[key] = r.addressType;
  }
  if (rows.length === 0) return { error: "Map at least one SCIM type." };
  return { map };
}

function serverMessage(result: { serverError?: { message?: string } | string; validationErrors?: unknown }): string | undefined {
  const e = result.serverError;
  if (e) return typeof e === "string" ? e : e.message;
  if (result.validationErrors) return "Check the fields: a SCIM type is lower-case letters, digits, '-' and '_'.";
  return undefined;
}

function MappingRows({ rows, onChange, addressTypes, label }: { rows: Row[]; onChange: (rows: Row[]) => void; addressTypes: readonly string[]; label: string }) {
  const id = useId();
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-700">{label}</legend>
      <p className="text-xs text-slate-500">An address the provider marks primary becomes type “preferred”, whatever its SCIM type. Types not listed use the row for “other”.</p>
      {rows.map((row, i) => (
        <div key={i} className="flex flex-wrap items-end gap-2">
          <div className="text-sm text-slate-700">
            <label htmlFor={`${id}-scim-${i}`}>SCIM type</label>
            <input
              id={`${id}-scim-${i}`}
              value={row.scimType}
              onChange={(e) => onChange(rows.map((r, j) => (j === i ? { ...r, scimType: e.target.value } : r)))}
              className="mt-1 block w-32 rounded-md border border-slate-300 px-2 py-1"
              maxLength={40}
            />
          </div>
          <span aria-hidden className="pb-1 text-slate-500">→</span>
          <div className="text-sm text-slate-700">
            {/* Not wrapping the select: its name would include the chosen option. */}
            <label htmlFor={`${id}-type-${i}`}>Address type</label>
            <select
              id={`${id}-type-${i}`}
              value={row.addressType}
              onChange={(e) => onChange(rows.map((r, j) => (j === i ? { ...r, addressType: e.target.value } : r)))}
              className="mt-1 block rounded-md border border-slate-300 px-2 py-1"
            >
              {addressTypes.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </div>
          <Button variant="ghost" onClick={() => onChange(rows.filter((_, j) => j !== i))} aria-label={`Remove the row for ${row.scimType || "a new type"}`}>
            Remove
          </Button>
        </div>
      ))}
      <Button variant="secondary" onClick={() => onChange([...rows, { scimType: "", addressType: addressTypes.includes("personal") ? "personal" : addressTypes[0]! }])}>
        Add a type
      </Button>
    </fieldset>
  );
}

export function CreateConnectorForm({ defaults, addressTypes }: { defaults: Record<string, string>; addressTypes: readonly string[] }) {
  const [name, setName] = useState("");
  const [rows, setRows] = useState<Row[]>(toRows(defaults));
  const [localError, setLocalError] = useState<string | null>(null);
  const { execute, result, isPending } = useAction(createConnectorAction);
  const error = localError ?? serverMessage(result) ?? (result.validationErrors as { fieldErrors?: { name?: string[] } } | undefined)?.fieldErrors?.name?.[0];
  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        const mapped = toMap(rows);
        if ("error" in mapped) return setLocalError(mapped.error);
        setLocalError(null);
        execute({ name, emailTypeMap: mapped.map });
      }}
    >
      <label className="block text-sm font-medium text-slate-700">
        Connector name
        <input name="name" value={name} onChange={(e) => setName(e.target.value)} className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2" maxLength={100} required placeholder="Entra ID" />
      </label>
      <MappingRows rows={rows} onChange={setRows} addressTypes={addressTypes} label="Address types" />
      {error ? (
        <p className="text-sm text-red-700" role="alert">
          {error}
        </p>
      ) : null}
      <Button type="submit" pending={isPending}>
        Create connector
      </Button>
      {result.data ? (
        <div className="rounded-md bg-emerald-50 p-3 text-sm" role="status">
          <p className="font-medium">Connector created. Copy its token now: it is shown only once.</p>
          <code className="mt-2 block break-all" data-testid="new-scim-token">
            {result.data.token}
          </code>
          <p className="mt-2 text-slate-700">
            Give the provider this token as its bearer token (Entra: “Secret Token”; Okta: “HTTP Header” authentication) and the tenant URL ending in <code>/scim/v2</code>.
          </p>
        </div>
      ) : null}
    </form>
  );
}

export function EditMappingForm({ id, name, map, addressTypes }: { id: number; name: string; map: Record<string, string>; addressTypes: readonly string[] }) {
  const [rows, setRows] = useState<Row[]>(toRows(map));
  const [localError, setLocalError] = useState<string | null>(null);
  const { execute, result, isPending, hasSucceeded } = useAction(updateMappingAction);
  const error = localError ?? serverMessage(result);
  return (
    <form
      className="space-y-3"
      aria-label={`Address types of ${name}`}
      onSubmit={(event) => {
        event.preventDefault();
        const mapped = toMap(rows);
        if ("error" in mapped) return setLocalError(mapped.error);
        setLocalError(null);
        execute({ id, emailTypeMap: mapped.map });
      }}
    >
      <MappingRows rows={rows} onChange={setRows} addressTypes={addressTypes} label={`Address types of ${name}`} />
      {error ? (
        <p className="text-sm text-red-700" role="alert">
          {error}
        </p>
      ) : null}
      {hasSucceeded && !error ? (
        <p className="text-sm text-emerald-700" role="status">
          Saved. Addresses the provider sends from now on use these types.
        </p>
      ) : null}
      <Button type="submit" variant="secondary" pending={isPending}>
        Save address types
      </Button>
    </form>
  );
}

export function RevokeConnectorButton({ id, name }: { id: number; name: string }) {
  const { executeAsync } = useAction(revokeConnectorAction);
  return (
    <ConfirmDialog
      trigger={<Button variant="danger">Revoke</Button>}
      title={`Revoke ${name}?`}
      description="The provider's token stops working at once (its calls get 401). The people and groups it fed stay in the registry, and their lists are unchanged."
      confirmText={name}
      actionLabel="Revoke connector"
      onConfirm={async (typed) => {
        const result = await executeAsync({ id, confirm: typed });
        return serverMessage(result ?? {}) ?? null;
      }}
    />
  );
}
