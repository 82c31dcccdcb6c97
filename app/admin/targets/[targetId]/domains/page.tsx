import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/card";
import { requireSuperuser } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { NotFoundError } from "@/lib/errors";
import { listDomains, type DomainRow } from "@/lib/domains/domains";
import { MailmanError, MailmanTransportError } from "@/lib/mailman";
import { getTarget } from "@/lib/targets/targets";
import { CreateDomainForm, DomainTable } from "./domain-forms";

export const metadata: Metadata = { title: "Domains" };

/** The domains, or the reason the core could not list them: an unreachable core is not a crash. */
async function loadDomains(targetId: number): Promise<{ domains: DomainRow[] } | { problem: string }> {
  try {
    return { domains: await listDomains(targetId) };
  } catch (error) {
    if (error instanceof MailmanTransportError || error instanceof MailmanError) return { problem: error.userMessage };
    throw error;
  }
}

export default async function DomainsPage({ params }: { params: Promise<{ targetId: string }> }) {
  const { targetId } = await params;
  const id = /^\d{1,9}$/.test(targetId) ? Number(targetId) : 0;
  // The guard runs first, so that an anonymous visitor is sent to sign in even for a malformed id.
  const target = await guardPage(async () => {
    await requireSuperuser();
    if (!id) throw new NotFoundError("No such server.");
    return getTarget(id);
  }, `/admin/targets/${targetId}/domains`);
  const loaded = await loadDomains(id);

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="flex gap-2 text-sm text-slate-500">
        <Link href="/admin/targets" className="text-indigo-700 hover:underline">
          Mailman servers
        </Link>
        <span aria-hidden>/</span>
        <Link href={`/admin/targets/${id}`} className="text-indigo-700 hover:underline">
          {target.name}
        </Link>
      </nav>
      <PageHeader title={`Domains of ${target.name}`} description={`Mail domains on ${target.serverUrl}. Deleting a domain deletes its lists.`} />
      {"problem" in loaded ? (
        <Alert tone="error" title="The Mailman core could not list its domains">
          <p>{loaded.problem}</p>
          <p className="mt-1">
            Check the server&apos;s settings and use <Link href={`/admin/targets/${id}`} className="underline">Test connection</Link>, then reload this
            page.
          </p>
        </Alert>
      ) : (
        <>
          <CreateDomainForm targetId={id} />
          <DomainTable targetId={id} domains={loaded.domains} listDomain={target.domain} />
        </>
      )}
    </div>
  );
}
