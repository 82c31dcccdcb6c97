import type { Metadata } from "next";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { requireSuperuser } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { NotFoundError } from "@/lib/errors";
import { listTargetViews } from "@/lib/provisioning/targets-api";
import { explainPreferred } from "@/lib/registry/plan-summary";
import { confirmationText } from "@/lib/registry/plan-request";
import { getPerson, personProvisioning } from "@/lib/registry/registry";
import { RegistryNav } from "../../registry-nav";
import { DeletePersonControl, PersonForm, ProvisionPersonControl, type PersonValues } from "../person-forms";
import { queryId } from "@/lib/validation/ids";

export const metadata: Metadata = { title: "Person" };
const idParam = queryId;

export default async function PersonPage({ params }: { params: Promise<{ personId: string }> }) {
  const { personId } = await params;
  const data = await guardPage(async () => {
    await requireSuperuser();
    const id = idParam.safeParse(personId);
    if (!id.success) throw new NotFoundError("No such person.");
    const person = await getPerson(id.data);
    const [targets, provisioning, confirm] = await Promise.all([listTargetViews(), personProvisioning(id.data), confirmationText("person", id.data)]);
    return { person, targets, provisioning, confirm };
  }, `/admin/registry/people/${personId}`);
  const { person } = data;
  const facts = person.emails.map((e) => ({ id: e.id, mail: e.address, type: e.type }));
  // One rule per distinct preferred type among the servers (most share the default).
  const byType = new Map<string | null, string[]>();
  for (const t of data.targets) byType.set(t.prefEmailType, [...(byType.get(t.prefEmailType) ?? []), t.name]);
  if (byType.size === 0) byType.set(null, []);
  const choices = [...byType.entries()].map(([type, servers]) => ({ type, servers, choice: explainPreferred(facts, type) }));
  const main = choices[0]?.choice ?? null;
  const initial: PersonValues = {
    displayName: person.displayName,
    givenName: person.givenName,
    familyName: person.familyName,
    status: person.status as PersonValues["status"],
    externalId: person.externalId ?? "",
    emails: person.emails.map((e) => ({ id: e.id, address: e.address, type: e.type, verified: e.verified })),
  };
  return (
    <div>
      <PageHeader title={person.displayName || `Person ${person.id}`} description={person.externalId ? `External id ${person.externalId}` : undefined} actions={<Badge tone={person.status === "active" ? "emerald" : "amber"}>{person.status}</Badge>} />
      <RegistryNav current="/admin/registry/people" />
      <div className="space-y-6">
        <Card title="Addresses">
          {person.emails.length === 0 ? (
            <p className="text-sm text-slate-700">No address: this person cannot be provisioned (&quot;no preferred email address&quot;).</p>
          ) : (
            <ul className="space-y-1 text-sm" data-testid="person-addresses">
              {person.emails.map((e) => (
                <li key={e.id}>
                  <span className="font-mono break-all">{e.address}</span> <Badge>{e.type}</Badge> {e.verified ? <Badge tone="emerald">verified</Badge> : null}
                  {main && main.id === e.id ? <span className="ml-1"><Badge tone="indigo">preferred</Badge></span> : null}
                </li>
              ))}
            </ul>
          )}
          {choices.map((c) =>
            c.choice ? (
              <p key={String(c.type)} className="mt-2 text-sm text-slate-700" data-testid="preferred-why">
                Preferred{c.servers.length ? ` on ${c.servers.join(", ")}` : ""}: <strong className="font-mono">{c.choice.email}</strong>, because {c.choice.why}.
              </p>
            ) : null,
          )}
        </Card>
        <Card title="On Mailman servers">
          {data.provisioning.targets.length === 0 ? (
            <p className="text-sm text-slate-700">No server concerns this person yet.</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {data.provisioning.targets.map((t) => (
                <li key={t.targetId}>
                  {data.targets.find((x) => x.id === t.targetId)?.name ?? `Server ${t.targetId}`}: {t.mailmanUserId ? `Mailman user ${t.mailmanUserId}` : "no Mailman user"}
                  {t.conflicts.length ? <span className="ml-1 text-amber-800">({t.conflicts.length} open conflict{t.conflicts.length > 1 ? "s" : ""}: {t.conflicts.map((c) => c.message).join("; ")})</span> : null}
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Edit"><PersonForm personId={person.id} initial={initial} /></Card>
        <Card title="Manual provision" description="Brings this person's Mailman user and list memberships in line now, ignoring the stored sync state."><ProvisionPersonControl personId={person.id} /></Card>
        <Card title="Delete" description="Deletes the person's Mailman users, with every membership they hold, on every server."><DeletePersonControl personId={person.id} confirmText={data.confirm} /></Card>
      </div>
    </div>
  );
}
