import type { Metadata } from "next";
import { SimpleActionForm } from "@/components/forms/simple-action-form";
import { Card, PageHeader } from "@/components/ui/card";
import { confirmLinkTemplate } from "@/lib/self-service/anonymous";
import { loadTargetPage } from "@/lib/targets/target-page";
import { clientForTarget } from "@/lib/targets/targets";
import { publishConfirmationAction } from "./actions";

export const metadata: Metadata = { title: "Member self-service" };

export default async function SelfServicePage({ params }: { params: Promise<{ targetId: string }> }) {
  const { targetId } = await params;
  const { id, target } = await loadTargetPage(targetId, "/self-service");
  const { client } = await clientForTarget(id);
  const domains = (await client.allDomains()).map((d) => d.mail_host).sort();
  return (
    <div className="space-y-6">
      <PageHeader title={`Member self-service on ${target.name}`} description="Anonymous visitors subscribe from a list's public page; the core mails them a confirmation." />
      <Card
        title="Confirmation link"
        description={`Publishing puts this link on top of the domain's “Confirm subscription” mail (the reply-to-confirm text stays): ${confirmLinkTemplate(id)}`}
      >
        <ul className="space-y-3">
          {domains.map((mailHost) => (
            <li key={mailHost} className="flex items-center justify-between gap-4">
              <span className="font-medium">{mailHost}</span>
              <SimpleActionForm action={publishConfirmationAction} hidden={{ targetId: String(id), mailHost }} fields={[]} submitLabel={`Publish for ${mailHost}`} variant="secondary" />
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
