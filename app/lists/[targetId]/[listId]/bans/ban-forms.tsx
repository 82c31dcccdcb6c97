"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { addGlobalBanAction, removeGlobalBanAction } from "@/app/admin/targets/[targetId]/bans/actions";
import { applyActionErrors, type SafeActionResultShape } from "@/components/forms/action-result";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card, EmptyState } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { banEffectText, banFormSchema } from "@/lib/bans/ban-input";
import type { BanPage } from "@/lib/bans/bans";
import { addListBanAction, removeListBanAction } from "./actions";
import { Pager } from "@/components/ui/pager";

/** Where the bans live: one list's, or a whole Mailman server's (superusers). */
export type BanScopeRef = { kind: "list"; targetId: number; listId: string } | { kind: "global"; targetId: number };

type FormInput = z.input<typeof banFormSchema>;
type FormOutput = z.output<typeof banFormSchema>;

function addBan(scope: BanScopeRef, email: string): Promise<SafeActionResultShape<{ email: string }> | undefined> {
  return scope.kind === "list"
    ? addListBanAction({ targetId: scope.targetId, listId: scope.listId, email })
    : addGlobalBanAction({ targetId: scope.targetId, email });
}

function removeBan(scope: BanScopeRef, email: string): Promise<SafeActionResultShape<unknown> | undefined> {
  return scope.kind === "list"
    ? removeListBanAction({ targetId: scope.targetId, listId: scope.listId, email })
    : removeGlobalBanAction({ targetId: scope.targetId, email });
}

export function AddBanForm({ scope }: { scope: BanScopeRef }) {
  const [banner, setBanner] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const form = useForm<FormInput, unknown, FormOutput>({ resolver: zodResolver(banFormSchema), defaultValues: { email: "" } });

  const onSubmit = form.handleSubmit(async (values) => {
    setBanner(null);
    setDone(null);
    setPending(true);
    try {
      const result = await addBan(scope, values.email);
      if (!result?.data) {
        setBanner(applyActionErrors(result, form.setError, ["email"]));
        return;
      }
      form.reset();
      setDone(`${result.data.email} is banned.`);
    } catch {
      setBanner("The request did not reach the server. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  });

  const where = scope.kind === "list" ? "this list" : "every list on this server";
  return (
    <Card
      title="Ban an address"
      description={banEffectText(where)}
    >
      <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Ban an address">
        <TextField
          label="Address or pattern"
          autoComplete="off"
          spellCheck={false}
          placeholder="spammer@example.org or ^.*@spam\.example$"
          help="An e-mail address, or a Python regular expression starting with ^ that is matched against whole addresses, ignoring case."
          {...form.register("email")}
          error={form.formState.errors.email?.message}
        />
        {banner ? <Alert tone="error">{banner}</Alert> : null}
        {done ? <Alert tone="success">{done}</Alert> : null}
        <div className="flex justify-end">
          <Button type="submit" pending={pending}>
            Ban
          </Button>
        </div>
      </form>
    </Card>
  );
}

/** A plain GET form: search and page live in the URL, so the server renders the results. */
export function BanSearch({ basePath, query }: { basePath: string; query: string }) {
  return (
    <form method="get" action={basePath} role="search" className="flex flex-wrap items-end gap-2">
      <TextField label="Search bans" name="q" type="search" defaultValue={query} autoComplete="off" className="min-w-64 grow" />
      <Button type="submit" variant="secondary">
        Search
      </Button>
      {query ? (
        <Link href={basePath} className="px-2 py-2 text-sm text-indigo-700 hover:underline">
          Clear search
        </Link>
      ) : null}
    </form>
  );
}

function pageHref(basePath: string, page: number, query: string): string {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  if (page > 1) params.set("page", String(page));
  const search = params.toString();
  return search ? `${basePath}?${search}` : basePath;
}

export function BanTable({ scope, bans, basePath }: { scope: BanScopeRef; bans: BanPage; basePath: string }) {
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function unban(email: string) {
    setBusy(email);
    setError(null);
    setNotice(null);
    try {
      const result = await removeBan(scope, email);
      const problem = !result
        ? "No answer from the server. Try again."
        : (result.serverError?.message ?? (result.validationErrors ? "The request was not valid. Reload the page and try again." : null));
      if (problem) setError(problem);
      else {
        setConfirming(null);
        setNotice(`${email} is no longer banned.`);
      }
    } catch {
      setError("The request did not reach the server. Check your connection and try again.");
    } finally {
      setBusy(null);
    }
  }

  const first = bans.total === 0 ? 0 : (bans.page - 1) * bans.pageSize + 1;
  const last = Math.min(bans.total, (bans.page - 1) * bans.pageSize + bans.entries.length);

  return (
    <div className="space-y-3">
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
      {bans.entries.length === 0 ? (
        <EmptyState title={bans.query ? `No bans match “${bans.query}”` : bans.total > 0 ? "Nothing on this page" : "Nobody is banned"}>
          {bans.total > 0 || bans.query ? (
            <Link href={basePath} className="text-indigo-700 hover:underline">
              Show all bans
            </Link>
          ) : null}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="px-4 py-2 text-left text-xs text-slate-600">
              {first}–{last} of {bans.total} {bans.query ? `bans matching “${bans.query}”` : "bans"}
            </caption>
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2">Address or pattern</th>
                <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {bans.entries.map(({ email, isPattern }) => (
                <tr key={email}>
                  <td className="px-4 py-2 font-mono break-all">
                    {email} {isPattern ? <Badge tone="amber">pattern</Badge> : null}
                  </td>
                  <td className="px-4 py-2">
                    {confirming === email ? (
                      <div role="group" aria-label={`Confirm unbanning ${email}`} className="flex flex-wrap items-center justify-end gap-2">
                        <span className="text-slate-700">Unban {email}?</span>
                        <Button variant="danger" autoFocus pending={busy === email} onClick={() => void unban(email)}>
                          Confirm unban
                        </Button>
                        <Button variant="secondary" onClick={() => setConfirming(null)}>
                          Cancel
                        </Button>
                      </div>
                    ) : (
                      <div className="flex justify-end">
                        <Button variant="secondary" aria-label={`Unban ${email}`} disabled={busy !== null} onClick={() => setConfirming(email)}>
                          Unban
                        </Button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager label="Pages of bans" page={bans.page} pageCount={bans.pageCount} hrefFor={(p) => pageHref(basePath, p, bans.query)} />
    </div>
  );
}
