"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { actionProblem } from "@/components/forms/action-result";
import { Button } from "@/components/ui/button";
import type { PreferenceKey } from "@/lib/mailman/members";
import { savePreferenceAction, switchAddressAction } from "./actions";

export function PreferenceSelect({
  targetId,
  memberId,
  level,
  prefKey,
  value,
  options,
  label,
}: {
  targetId: number;
  memberId: string;
  level: "subscription" | "address" | "account";
  prefKey: PreferenceKey;
  value: string;
  options: { value: string; label: string }[];
  label: string;
}) {
  const router = useRouter();
  const [current, setCurrent] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function change(next: string) {
    const before = current;
    setCurrent(next);
    setPending(true);
    setError(null);
    const result = await savePreferenceAction({ targetId, memberId, level, key: prefKey, value: next });
    setPending(false);
    const problem = actionProblem(result);
    if (problem) {
      setCurrent(before);
      setError(problem.message);
      return;
    }
    router.refresh();
  }
  return (
    <div>
      <select
        aria-label={label}
        value={current}
        disabled={pending}
        onChange={(e) => void change(e.target.value)}
        className="rounded-md px-2 py-1 text-sm ring-1 ring-slate-300 disabled:opacity-50"
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error ? (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function SwitchAddressForm({ targetId, memberId, current, choices }: { targetId: number; memberId: string; current: string; choices: { value: string; label: string }[] }) {
  const router = useRouter();
  const [to, setTo] = useState(current);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const result = await switchAddressAction({ targetId, memberId, to });
    setPending(false);
    const problem = actionProblem(result);
    if (problem || !result?.data) {
      setError(problem?.message ?? "No answer from the server.");
      return;
    }
    router.push(`/me/${targetId}/${result.data.memberId}?switched=1`);
    router.refresh();
  }
  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
      <label className="text-sm">
        <span className="block font-medium text-slate-800">Deliver to</span>
        <select value={to} onChange={(e) => setTo(e.target.value)} className="mt-1 rounded-md px-3 py-2 text-sm ring-1 ring-slate-300">
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <Button type="submit" variant="secondary" pending={pending} disabled={to === current}>
        Switch address
      </Button>
      {error ? (
        <p role="alert" className="w-full text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </form>
  );
}
