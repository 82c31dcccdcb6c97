import { z } from "zod";
import type { ListAccess } from "@/lib/auth/list-access";
import { forgetListRoles } from "@/lib/auth/list-roles";
import { auditStep } from "@/lib/audit";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { MailmanError, type MailmanClient } from "@/lib/mailman";
import { logger } from "@/lib/logger";
import { clientForTarget } from "@/lib/targets/targets";
import { listNameProblem } from "@/lib/validation/list-name";
import { snapshotListChanged, snapshotListDeleted } from "./list-snapshot";
import { queryId } from "@/lib/validation/ids";

export const createListSchema = z.object({
  targetId: queryId,
  mailHost: z.string().trim().toLowerCase().min(1, "Choose a domain.").max(253),
  name: z.string().trim().toLowerCase().min(1, "Enter a list name.").max(64),
  styleName: z.string().trim().min(1, "Choose a list style.").max(100),
  ownerEmail: z.email("Enter the first owner's email address.").trim().toLowerCase(),
  description: z.string().trim().max(500).default(""),
  advertised: z.boolean().default(true),
});
export type CreateListInput = z.input<typeof createListSchema>;

export const deleteListSchema = z.object({
  targetId: queryId,
  listId: z.string().min(1).max(320),
  confirm: z.string().max(320),
});

/** What the create form offers for one target: its domains, styles and name rule. */
export async function listCreationOptions(targetId: number) {
  const { target, client } = await clientForTarget(targetId);
  const [domains, styles, settings] = await Promise.all([client.allDomains(), client.listStyles(), client.mailmanSettings()]);
  return {
    targetId,
    defaultDomain: target.domain,
    domains: domains.map((d) => d.mail_host).sort(),
    styles: styles.styles,
    defaultStyle: styles.default,
    listnameChars: settings.listname_chars ?? "[-_.0-9a-z]",
  };
}

/**
 * Creates a list the way an owner expects: the style is checked against the core's styles first
 * (an unknown one makes a broken list, Q-1), the name against the core's `listname_chars`, and
 * if the first owner cannot be added the half-made list is removed again.
 */
export async function createList(input: CreateListInput): Promise<{ listId: string }> {
  const data = createListSchema.parse(input);
  const { client } = await clientForTarget(data.targetId);
  const [styles, settings, domain] = await Promise.all([client.listStyles(), client.mailmanSettings(), client.getDomain(data.mailHost)]);
  if (!domain) throw new InvalidInputError(`The domain ${data.mailHost} does not exist on this server.`, { field: "mailHost" });
  if (!styles.style_names.includes(data.styleName)) {
    throw new InvalidInputError(`Unknown list style "${data.styleName}". Choose one this server offers.`, { field: "styleName" });
  }
  const nameProblem = listNameProblem(data.name, settings.listname_chars);
  if (nameProblem) throw new InvalidInputError(nameProblem, { field: "name" });

  const fqdn = `${data.name}@${data.mailHost}`;
  const detail = { fqdn, style: data.styleName, owner: data.ownerEmail, advertised: data.advertised };
  // Mailman's list id is the posting address with "." for "@": a refused creation names it too.
  const listId = await auditStep({ targetId: data.targetId, action: "list.create", subject: fqdn.replace("@", "."), detail }, () => makeList(client, data, fqdn));
  forgetListRoles(data.targetId, listId);
  await snapshotListChanged(data.targetId, listId, client);
  return { listId };
}

/** The core's part of creating a list: the list, its first owner and its description. */
async function makeList(client: MailmanClient, data: z.infer<typeof createListSchema>, fqdn: string): Promise<string> {
  let listId: string;
  try {
    listId = await client.createList({ fqdnListname: fqdn, styleName: data.styleName });
  } catch (error) {
    if (error instanceof MailmanError && error.status === 400) {
      if (/exists/i.test(error.description ?? "")) throw new ConflictError(`A list called ${fqdn} already exists.`, { field: "name" });
      throw new InvalidInputError(error.userMessage, { field: "name" });
    }
    throw error;
  }
  try {
    await client.subscribe({ listId, subscriber: data.ownerEmail, role: "owner", preVerified: true, preConfirmed: true, preApproved: true });
    await client.patchListConfig(listId, { description: data.description, advertised: data.advertised });
  } catch (error) {
    logger.warn({ listId, err: { message: (error as Error).message } }, "list creation failed after the list was made; removing it");
    await client.deleteList(listId).catch(() => {});
    if (error instanceof MailmanError && error.status < 500) {
      throw new InvalidInputError(`The list was not created: ${error.userMessage}`, { field: "ownerEmail" });
    }
    throw error;
  }
  return listId;
}

/** Deletes a list for good; the typed confirmation must be its posting address. */
export async function deleteList(access: ListAccess, confirm: string): Promise<void> {
  const fqdn = access.list.fqdn_listname;
  if (confirm.trim().toLowerCase() !== fqdn.toLowerCase()) {
    throw new InvalidInputError(`Type the list's address, ${fqdn}, to confirm.`, { field: "confirm" });
  }
  await auditStep({ targetId: access.target.id, action: "list.delete", subject: access.list.list_id, detail: { fqdn, memberCount: access.list.member_count ?? 0 } }, async () => {
    try {
      await access.client.deleteList(access.list.list_id);
    } catch (error) {
      if (error instanceof MailmanError && error.status === 404) throw new NotFoundError("The list was already deleted.");
      throw error;
    }
  });
  forgetListRoles(access.target.id, access.list.list_id);
  await snapshotListDeleted(access.target.id, access.list.list_id);
}
