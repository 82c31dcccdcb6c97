import pLimit from "p-limit";
import { z } from "zod";
import { auditStep } from "@/lib/audit";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { MailmanError } from "@/lib/mailman";
import { clientForTarget } from "@/lib/targets/targets";
import { createDomainSchema, deleteDomainSchema, updateDomainSchema } from "./domain-input";

export { createDomainSchema, deleteDomainSchema, domainFieldsSchema, mailHostSchema, updateDomainSchema } from "./domain-input";

export interface DomainRow {
  mailHost: string;
  description: string;
  aliasDomain: string;
  listCount: number;
}

/** Domains of a target with their list counts: 1 + D cheap core calls (`count=0`), 4 at a time. */
export async function listDomains(targetId: number): Promise<DomainRow[]> {
  const { client } = await clientForTarget(targetId);
  const domains = await client.allDomains();
  const limit = pLimit(4);
  const counts = await Promise.all(domains.map((d) => limit(() => client.countDomainLists(d.mail_host))));
  return domains
    .map((d, i) => ({ mailHost: d.mail_host, description: d.description ?? "", aliasDomain: d.alias_domain ?? "", listCount: counts[i] ?? 0 }))
    .sort((a, b) => a.mailHost.localeCompare(b.mailHost));
}

export async function domainDeletionPreview(targetId: number, mailHost: string) {
  const { client } = await clientForTarget(targetId);
  const domain = await client.getDomain(mailHost);
  if (!domain) throw new NotFoundError(`The domain ${mailHost} does not exist on this server.`);
  const page = await client.domainLists(mailHost, { count: 10, page: 1 });
  return { mailHost: domain.mail_host, listCount: page.total, firstLists: page.entries.map((l) => l.fqdn_listname) };
}

export async function createDomain(input: z.input<typeof createDomainSchema>): Promise<void> {
  const data = createDomainSchema.parse(input);
  const { client } = await clientForTarget(data.targetId);
  await auditStep({ targetId: data.targetId, action: "domain.create", subject: data.mailHost, detail: { description: data.description } }, async () => {
    try {
      await client.createDomain({ mailHost: data.mailHost, description: data.description, aliasDomain: data.aliasDomain || undefined });
    } catch (error) {
      if (error instanceof MailmanError && error.status === 400 && /Duplicate email host/i.test(error.description ?? "")) {
        throw new ConflictError(`The domain ${data.mailHost} already exists on this server.`, { field: "mailHost" });
      }
      throw error;
    }
  });
}

export async function updateDomain(input: z.input<typeof updateDomainSchema>): Promise<void> {
  const data = updateDomainSchema.parse(input);
  const { client } = await clientForTarget(data.targetId);
  if (!(await client.getDomain(data.mailHost))) throw new NotFoundError(`The domain ${data.mailHost} does not exist on this server.`);
  await auditStep({ targetId: data.targetId, action: "domain.update", subject: data.mailHost, detail: { description: data.description, aliasDomain: data.aliasDomain } }, () =>
    client.updateDomain(data.mailHost, { description: data.description, aliasDomain: data.aliasDomain || null }),
  );
}

/** Deletes a domain and, with it, every list in it: the typed confirmation must be the mail host. */
export async function deleteDomain(input: z.input<typeof deleteDomainSchema>): Promise<{ listsDeleted: number }> {
  const data = deleteDomainSchema.parse(input);
  if (data.confirm.trim().toLowerCase() !== data.mailHost.toLowerCase()) {
    throw new InvalidInputError(`Type the domain name, ${data.mailHost}, to confirm.`, { field: "confirm" });
  }
  const { client } = await clientForTarget(data.targetId);
  if (!(await client.getDomain(data.mailHost))) throw new NotFoundError(`The domain ${data.mailHost} does not exist on this server.`);
  const listsDeleted = await client.countDomainLists(data.mailHost);
  await auditStep({ targetId: data.targetId, action: "domain.delete", subject: data.mailHost, detail: { listsDeleted } }, () => client.deleteDomain(data.mailHost));
  return { listsDeleted };
}
