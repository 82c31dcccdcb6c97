"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { actionProblem } from "@/components/forms/action-result";
import { Button } from "@/components/ui/button";
import type { MyListEntry, MyListsResult, MyListState } from "@/lib/self-service/my-lists";
import type { ToggleOutcome } from "@/lib/self-service/subscriptions";
import { DateTime } from "@/components/ui/date-time";
import { cancelConfirmationAction, cancelRequestAction, myListsAction, resendConfirmationAction, subscribeAction, unsubscribeAction } from "./actions";

const KEY = ["my-lists"] as const;

type Toggle =
  | { kind: "subscribe"; entry: MyListEntry; address: string }
  | { kind: "unsubscribe"; entry: MyListEntry; memberId: string }
  | { kind: "cancel"; entry: MyListEntry; requestId: number }
  | { kind: "resend-confirmation" | "cancel-confirmation"; entry: MyListEntry; confirmationId: number };

const STATE_LABEL: Record<MyListState, string> = {
  subscribed: "Subscribed",
  not_subscribed: "Not subscribed",
  pending_approval: "Waiting for approval",
  pending_unsubscribe: "Unsubscription waiting for approval",
  pending_confirmation: "Waiting for you to confirm",
};

const FILTERS = [
  { value: "all", label: "All lists" },
  { value: "subscribed", label: "Subscribed" },
  { value: "not_subscribed", label: "Not subscribed" },
  { value: "pending", label: "Waiting (for approval or your confirmation)" },
  { value: "roles", label: "Owner or moderator" },
] as const;

const rowKey = (e: { targetId: number; listId: string }) => `${e.targetId}:${e.listId}`;

async function run(toggle: Toggle): Promise<ToggleOutcome> {
  const ref = { targetId: toggle.entry.targetId, listId: toggle.entry.listId };
  const result =
    toggle.kind === "subscribe"
      ? await subscribeAction({ ...ref, address: toggle.address })
      : toggle.kind === "unsubscribe"
        ? await unsubscribeAction({ ...ref, memberId: toggle.memberId })
        : toggle.kind === "cancel"
          ? await cancelRequestAction({ requestId: toggle.requestId })
          : toggle.kind === "resend-confirmation"
            ? await resendConfirmationAction({ confirmationId: toggle.confirmationId })
            : await cancelConfirmationAction({ confirmationId: toggle.confirmationId });
  const problem = actionProblem(result);
  if (problem || !result?.data) throw new Error(problem?.message ?? "No answer from the server.");
  return result.data;
}

function optimisticState(toggle: Toggle): MyListState {
  if (toggle.kind === "subscribe") return "subscribed";
  if (toggle.kind === "unsubscribe") return "not_subscribed";
  if (toggle.kind === "resend-confirmation") return "pending_confirmation";
  if (toggle.kind === "cancel-confirmation") return toggle.entry.subscriptions.length > 0 ? "subscribed" : "not_subscribed";
  return toggle.entry.pending?.kind === "subscribe" ? "not_subscribed" : "subscribed";
}

export function MyLists({ initial }: { initial: MyListsResult }) {
  const queryClient = useQueryClient();
  const { data } = useQuery({
    queryKey: KEY,
    queryFn: async () => {
      const result = await myListsAction({});
      if (!result?.data) throw new Error(actionProblem(result)?.message ?? "No answer from the server.");
      return result.data;
    },
    initialData: initial,
  });
  const [notes, setNotes] = useState<Record<string, { tone: "error" | "info"; text: string }>>({});
  const [q, setQ] = useState("");
  const [filter, setFilter] = useState<(typeof FILTERS)[number]["value"]>("all");
  const [address, setAddress] = useState("primary");

  const mutation = useMutation({
    mutationFn: run,
    onMutate: async (toggle) => {
      await queryClient.cancelQueries({ queryKey: KEY });
      const before = queryClient.getQueryData<MyListsResult>(KEY);
      queryClient.setQueryData<MyListsResult>(KEY, (old) =>
        old ? { ...old, entries: old.entries.map((e) => (rowKey(e) === rowKey(toggle.entry) ? { ...e, state: optimisticState(toggle) } : e)) } : old,
      );
      setNotes((n) => ({ ...n, [rowKey(toggle.entry)]: { tone: "info", text: "Saving…" } }));
      return { before };
    },
    onError: (error, toggle, context) => {
      // Back to what it was, with the core's own words.
      if (context?.before) queryClient.setQueryData(KEY, context.before);
      setNotes((n) => ({ ...n, [rowKey(toggle.entry)]: { tone: "error", text: error.message } }));
    },
    onSuccess: (outcome, toggle) => {
      queryClient.setQueryData<MyListsResult>(KEY, (old) =>
        old ? { ...old, entries: old.entries.map((e) => (rowKey(e) === rowKey(toggle.entry) ? { ...e, state: outcome.state } : e)) } : old,
      );
      setNotes((n) => ({ ...n, [rowKey(toggle.entry)]: { tone: "info", text: outcome.message } }));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });

  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return data.entries.filter((e) => {
      if (needle && ![e.fqdn, e.displayName, e.description].some((v) => v.toLowerCase().includes(needle))) return false;
      if (filter === "all") return true;
      if (filter === "pending") return e.state === "pending_approval" || e.state === "pending_unsubscribe" || e.confirmation !== null;
      if (filter === "roles") return e.roles.length > 0;
      return e.state === filter;
    });
  }, [data.entries, q, filter]);

  const busy = (e: MyListEntry) => mutation.isPending && mutation.variables && rowKey(mutation.variables.entry) === rowKey(e);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <label className="min-w-0 max-w-full text-sm">
          <span className="block font-medium text-slate-800">Search</span>
          <input value={q} onChange={(e) => setQ(e.target.value)} placeholder="Name, address or description" className="mt-1 w-64 max-w-full rounded-md px-3 py-2 text-sm ring-1 ring-slate-300" />
        </label>
        <label className="min-w-0 max-w-full text-sm">
          <span className="block font-medium text-slate-800">Show</span>
          <select value={filter} onChange={(e) => setFilter(e.target.value as typeof filter)} className="mt-1 max-w-full rounded-md px-3 py-2 text-sm ring-1 ring-slate-300">
            {FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        {data.verifiedEmails.length > 0 ? (
          <label className="min-w-0 max-w-full text-sm">
            <span className="block font-medium text-slate-800">Subscribe with</span>
            <select value={address} onChange={(e) => setAddress(e.target.value)} className="mt-1 max-w-full rounded-md px-3 py-2 text-sm ring-1 ring-slate-300">
              <option value="primary">Primary address ({data.primaryEmail})</option>
              {data.verifiedEmails.map((email) => (
                <option key={email} value={email}>
                  {email}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      <p className="text-sm text-slate-600">
        {shown.length} of {data.entries.length} lists
      </p>
      <ul className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200" data-testid="my-lists">
        {shown.map((e) => {
          const note = notes[rowKey(e)];
          return (
            <li key={rowKey(e)} className="flex flex-wrap items-start justify-between gap-3 p-4" data-testid="my-list" data-list={e.fqdn} data-target={e.targetId}>
              <div className="min-w-0">
                <p className="font-medium text-slate-900">
                  {e.displayName} <span className="text-sm font-normal text-slate-500">{e.fqdn}</span>
                  {e.roles.map((r) => (
                    <span key={r} className="ml-2 rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-800">
                      {r}
                    </span>
                  ))}
                </p>
                {e.description ? <p className="text-sm text-slate-600">{e.description}</p> : null}
                <p className="mt-1 text-sm" data-testid="list-state">
                  {STATE_LABEL[e.state]}
                  {e.state === "subscribed" && e.subscriptions.length > 0
                    ? ` (${e.subscriptions.map((s) => (s.via === "primary" ? `primary address, ${s.email}` : s.email)).join("; ")})`
                    : ""}
                  {e.state === "pending_confirmation" && e.confirmation ? ` (mail sent to ${e.confirmation.email})` : ""}
                </p>
                {e.confirmation ? (
                  <p className="text-sm text-slate-600" data-testid="confirmation-waiting">
                    {e.state === "pending_confirmation"
                      ? "Open the link in the list's mail of "
                      : `A subscription of ${e.confirmation.email} waits for you to confirm it too; mail sent `}
                    <DateTime value={e.confirmation.requestedAt} />.
                  </p>
                ) : null}
                {note ? (
                  <p role={note.tone === "error" ? "alert" : "status"} className={note.tone === "error" ? "text-sm text-red-700" : "text-sm text-slate-600"}>
                    {note.text}
                  </p>
                ) : null}
              </div>
              <div className="flex flex-wrap gap-2">
                {e.state === "not_subscribed" && data.verifiedEmails.length > 0 ? (
                  <Button pending={busy(e)} onClick={() => mutation.mutate({ kind: "subscribe", entry: e, address })}>
                    Subscribe
                  </Button>
                ) : null}
                {e.state === "subscribed"
                  ? e.subscriptions.map((s) => (
                      <span key={s.memberId} className="flex gap-2">
                        <Link href={`/me/${e.targetId}/${s.memberId}`} className="rounded-md px-3 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-50">
                          {e.subscriptions.length > 1 ? `Options (${s.email})` : "Options"}
                        </Link>
                        <Button variant="secondary" pending={busy(e)} onClick={() => mutation.mutate({ kind: "unsubscribe", entry: e, memberId: s.memberId })}>
                          {e.subscriptions.length > 1 ? `Unsubscribe ${s.email}` : "Unsubscribe"}
                        </Button>
                      </span>
                    ))
                  : null}
                {e.state === "subscribed" || e.roles.length > 0 ? (
                  <Link href={`/me/roster/${e.targetId}/${encodeURIComponent(e.listId)}`} className="rounded-md px-3 py-2 text-sm text-slate-700 hover:bg-slate-100">
                    Members
                  </Link>
                ) : null}
                {e.confirmation ? (
                  <>
                    <Button variant="secondary" pending={busy(e)} onClick={() => mutation.mutate({ kind: "resend-confirmation", entry: e, confirmationId: e.confirmation!.id })}>
                      Send again
                    </Button>
                    <Button variant="ghost" pending={busy(e)} onClick={() => mutation.mutate({ kind: "cancel-confirmation", entry: e, confirmationId: e.confirmation!.id })}>
                      Cancel request
                    </Button>
                  </>
                ) : null}
                {e.pending && (e.state === "pending_approval" || e.state === "pending_unsubscribe") ? (
                  <Button variant="ghost" pending={busy(e)} onClick={() => mutation.mutate({ kind: "cancel", entry: e, requestId: e.pending!.id })}>
                    Cancel request
                  </Button>
                ) : null}
              </div>
            </li>
          );
        })}
        {shown.length === 0 ? <li className="p-4 text-sm text-slate-600">No lists match.</li> : null}
      </ul>
    </div>
  );
}
