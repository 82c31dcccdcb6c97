import { z } from "zod";
import { auditStep } from "@/lib/audit";
import type { ListAccess } from "@/lib/auth/list-access";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { MailmanError, type MailmanClient } from "@/lib/mailman";
import { addBan, allBans, listBans, removeBan, type BanScope } from "@/lib/mailman/bans";
import { clientForTarget } from "@/lib/targets/targets";
import { addGlobalBanSchema, addListBanSchema, BAN_PAGE_SIZE, removeGlobalBanSchema, removeListBanSchema } from "./ban-input";

/**
 * A list's bans (owners) and a server's global bans (superusers), console.md §3.9. Postorius
 * downloads every ban for each page view and each removal; here a page is one `count`+`page`
 * call, an addition or removal one call. The core cannot search bans, so a search reads them all
 * (500 per call) and filters here.
 */

export interface BanPage {
  entries: { email: string; isPattern: boolean }[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
  query: string;
}

export async function loadBans(client: MailmanClient, scope: BanScope, options: { page: number; q?: string; pageSize?: number }): Promise<BanPage> {
  const pageSize = options.pageSize ?? BAN_PAGE_SIZE;
  const query = (options.q ?? "").trim();
  let emails: string[];
  let total: number;
  if (query === "") {
    const result = await listBans(client, scope, { count: pageSize, page: options.page });
    emails = result.entries.map((b) => b.email);
    total = result.total;
  } else {
    const needle = query.toLowerCase();
    const matching = (await allBans(client, scope)).map((b) => b.email).filter((email) => email.toLowerCase().includes(needle));
    total = matching.length;
    emails = matching.slice((options.page - 1) * pageSize, options.page * pageSize);
  }
  return {
    entries: emails.map((email) => ({ email, isPattern: email.startsWith("^") })),
    total,
    page: options.page,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
    pageSize,
    query,
  };
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new InvalidInputError(issue?.message ?? "The request was not valid.", { field: issue?.path[0]?.toString() });
}

async function add(client: MailmanClient, scope: BanScope, email: string): Promise<void> {
  try {
    await addBan(client, scope, email);
  } catch (error) {
    if (error instanceof MailmanError && error.status === 400) {
      const description = error.description ?? "";
      if (/already banned/i.test(description)) {
        const by = scope === "global" ? "a site-wide ban or pattern" : "this list's bans or by a site-wide ban";
        throw new ConflictError(`${email} is already banned (by ${by}).`, { field: "email" });
      }
      if (/"email"/.test(description)) throw new InvalidInputError(`Mailman refused this entry: ${description.replace(/^Invalid Parameter "email": /, "")}`, { field: "email" });
    }
    throw error;
  }
}

async function remove(client: MailmanClient, scope: BanScope, email: string): Promise<void> {
  try {
    await removeBan(client, scope, email);
  } catch (error) {
    if (error instanceof MailmanError && error.status === 404) throw new NotFoundError(`${email} is not banned (any more). Reload the page.`);
    throw error;
  }
}

export async function addListBan(access: ListAccess, input: z.input<typeof addListBanSchema>): Promise<{ email: string }> {
  const { email } = parse(addListBanSchema, input);
  await auditStep({ targetId: access.target.id, action: "ban.add", subject: access.list.list_id, detail: { email } }, () => add(access.client, { listId: access.list.list_id }, email));
  return { email };
}

export async function removeListBan(access: ListAccess, input: z.input<typeof removeListBanSchema>): Promise<void> {
  const { email } = parse(removeListBanSchema, input);
  await auditStep({ targetId: access.target.id, action: "ban.remove", subject: access.list.list_id, detail: { email } }, () => remove(access.client, { listId: access.list.list_id }, email));
}

/** Global bans: callers (superuser actions) have checked the viewer already. */
export async function addGlobalBan(input: z.input<typeof addGlobalBanSchema>): Promise<{ email: string }> {
  const { targetId, email } = parse(addGlobalBanSchema, input);
  const { client } = await clientForTarget(targetId);
  await auditStep({ targetId, action: "global-ban.add", subject: email }, () => add(client, "global", email));
  return { email };
}

export async function removeGlobalBan(input: z.input<typeof removeGlobalBanSchema>): Promise<void> {
  const { targetId, email } = parse(removeGlobalBanSchema, input);
  const { client } = await clientForTarget(targetId);
  await auditStep({ targetId, action: "global-ban.remove", subject: email }, () => remove(client, "global", email));
}

export async function loadGlobalBans(targetId: number, options: { page: number; q?: string; pageSize?: number }): Promise<BanPage> {
  const { client } = await clientForTarget(targetId);
  return loadBans(client, "global", options);
}
