import type { Metadata } from "next";
import Link from "next/link";
import { TargetBreadcrumb } from "@/components/target-breadcrumb";
import { loadTargetPage } from "@/lib/targets/target-page";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/card";
import { listDomains, type DomainRow } from "@/lib/domains/domains";
import { MailmanError, MailmanTransportError } from "@/lib/mailman";
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
  const { id, target } = await loadTargetPage(targetId, "/domains");
  const loaded = await loadDomains(id);

  return (
    <div className="space-y-6">
      <TargetBreadcrumb target={target} />
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
