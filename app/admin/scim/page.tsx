import type { Metadata } from "next";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { DEFAULT_EMAIL_TYPE_MAP } from "@/db/schema/scim";
import { requireSuperuser } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { ADDRESS_TYPE_ORDER } from "@/lib/provisioning/desired";
import { listConnectors } from "@/lib/scim/connectors";
import { CreateConnectorForm, EditMappingForm, RevokeConnectorButton } from "./connector-forms";

export const metadata: Metadata = { title: "SCIM connectors" };

export default async function ScimConnectorsPage() {
  const connectors = await guardPage(async () => {
    await requireSuperuser();
    return listConnectors();
  }, "/admin/scim");
  return (
    <div className="space-y-6">
      <PageHeader
        title="SCIM connectors"
        description="Identity providers (Entra ID, Okta, Keycloak, authentik) feed people and groups into the registry through SCIM 2.0 at /scim/v2, each with a bearer token of its own. Their changes reach Mailman like any registry change."
      />
      <Card title="New connector">
        <CreateConnectorForm defaults={DEFAULT_EMAIL_TYPE_MAP} addressTypes={ADDRESS_TYPE_ORDER} />
      </Card>
      {connectors.length === 0 ? (
        <EmptyState title="No connectors yet">Create one above and give its token to the identity provider.</EmptyState>
      ) : (
        <ul className="space-y-4" aria-label="Connectors">
          {connectors.map((c) => (
            <li key={c.id} aria-label={c.name}>
              <Card
                title={
                  <span className="flex flex-wrap items-center gap-2">
                    {c.name} {c.revokedAt ? <Badge tone="red">Revoked</Badge> : <Badge tone="emerald">Active</Badge>}
                  </span>
                }
                description={
                  <span>
                    {c.people} people, {c.groups} groups · created by {c.createdBy ?? "—"} <DateTime value={c.createdAt} /> · last used <DateTime value={c.lastUsedAt} fallback="never" />
                    {c.revokedAt ? (
                      <>
                        {" "}
                        · revoked <DateTime value={c.revokedAt} />
                      </>
                    ) : null}
                  </span>
                }
                actions={c.revokedAt ? null : <RevokeConnectorButton id={c.id} name={c.name} />}
              >
                {c.revokedAt ? null : <EditMappingForm id={c.id} name={c.name} map={c.emailTypeMap} addressTypes={ADDRESS_TYPE_ORDER} />}
              </Card>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
