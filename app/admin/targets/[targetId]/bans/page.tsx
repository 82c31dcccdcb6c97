import type { Metadata } from "next";
import Link from "next/link";
import { TargetBreadcrumb } from "@/components/target-breadcrumb";
import { loadTargetPage } from "@/lib/targets/target-page";
import { AddBanForm, BanSearch, BanTable } from "@/app/lists/[targetId]/[listId]/bans/ban-forms";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/card";
import { parseBanQuery } from "@/lib/bans/ban-input";
import { loadGlobalBans, type BanPage } from "@/lib/bans/bans";
import { MailmanError, MailmanTransportError } from "@/lib/mailman";

export const metadata: Metadata = { title: "Global bans" };

type SearchParams = Promise<{ page?: string | string[]; q?: string | string[] }>;

export default async function GlobalBansPage({ params, searchParams }: { params: Promise<{ targetId: string }>; searchParams: SearchParams }) {
  const { targetId } = await params;
  const { id, target } = await loadTargetPage(targetId, "/bans");
  const query = parseBanQuery(await searchParams);
  let bans: BanPage | null = null;
  let problem: string | null = null;
  try {
    bans = await loadGlobalBans(id, query);
  } catch (error) {
    if (!(error instanceof MailmanError || error instanceof MailmanTransportError)) throw error;
    problem = error.userMessage;
  }
  const basePath = `/admin/targets/${id}/bans`;
  const scope = { kind: "global", targetId: id } as const;

  return (
    <div className="space-y-6">
      <TargetBreadcrumb target={target} />
      <PageHeader title={`Global bans of ${target.name}`} description={`Addresses and patterns refused by every list on ${target.serverUrl}.`} />
      {problem ? (
        <Alert tone="error" title="The Mailman core could not list its bans">
          <p>{problem}</p>
          <p className="mt-1">
            Check the server&apos;s settings and use <Link href={`/admin/targets/${id}`} className="underline">Test connection</Link>, then reload this page.
          </p>
        </Alert>
      ) : (
        <>
          <AddBanForm scope={scope} />
          <section aria-labelledby="bans-heading" className="space-y-3">
            <h2 id="bans-heading" className="text-base font-semibold text-slate-900">
              Banned on every list
            </h2>
            <BanSearch basePath={basePath} query={query.q} />
            {bans ? <BanTable scope={scope} bans={bans} basePath={basePath} /> : null}
          </section>
        </>
      )}
    </div>
  );
}
