"use client";

import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { createTokenAction, revokeTokenAction } from "./actions";

export function CreateTokenForm() {
  const [name, setName] = useState("");
  const { execute, result, isPending } = useAction(createTokenAction);
  const error = result.serverError?.message ?? result.validationErrors?.fieldErrors?.name?.[0];
  return (
    <form
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        execute({ name });
      }}
    >
      <label className="block text-sm font-medium text-slate-700">
        Token name
        <input name="name" value={name} onChange={(e) => setName(e.target.value)} className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2" maxLength={100} required />
      </label>
      {error ? <p className="text-sm text-red-700" role="alert">{error}</p> : null}
      <button type="submit" disabled={isPending} className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white disabled:opacity-60">
        Create token
      </button>
      {result.data ? (
        <div className="rounded-md bg-emerald-50 p-3 text-sm" role="status">
          <p className="font-medium">Token created. Copy it now: it is shown only once.</p>
          <code className="mt-2 block break-all" data-testid="new-token">{result.data.token}</code>
        </div>
      ) : null}
    </form>
  );
}

export function RevokeTokenButton({ id }: { id: number }) {
  const { execute, isPending } = useAction(revokeTokenAction);
  return (
    <button type="button" disabled={isPending} onClick={() => execute({ id })} className="text-sm font-medium text-red-700 hover:underline">
      Revoke
    </button>
  );
}
