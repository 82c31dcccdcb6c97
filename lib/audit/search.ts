import "server-only";
import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { auditEvents, provisionerTargets, userEmails, users, type AuditActorKind, type AuditOutcome } from "@/db/schema";
import { AUDIT_ACTIONS } from "./actions";
import { queryId } from "@/lib/validation/ids";

/**
 * Reading the audit log: filters, paging and the rows an export streams. Superusers read every
 * row; a list owner reads one list's rows (the caller's guard fixes `scope`).
 */

export const AUDIT_PAGE_SIZE = 50;
const ACTOR_KINDS = ["user", "api_token", "scim", "scheduler", "cli", "system"] as const satisfies readonly AuditActorKind[];

const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-30.")
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), "Not a real date.");

/** The filters as they arrive in a URL: every field optional, blank meaning "any". */
export const auditFilterSchema = z.object({
  target: queryId.optional().catch(undefined),
  list: z.string().trim().max(300).optional(),
  actor: z.string().trim().max(320).optional(),
  actorKind: z.enum(ACTOR_KINDS).optional().catch(undefined),
  /** An action name, or a family ending in "." ("held." for every moderation decision). */
  action: z
    .string()
    .trim()
    .max(80)
    .refine((value) => value === "" || (AUDIT_ACTIONS as readonly string[]).includes(value) || AUDIT_ACTIONS.some((a) => a.startsWith(value) && value.endsWith(".")), "Unknown action.")
    .optional(),
  from: day.optional(),
  to: day.optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

/** Blank strings in a query string mean "no filter". */
export function parseAuditFilter(raw: Record<string, string | string[] | undefined>): { filter: AuditFilter; errors: Record<string, string> } {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    const v = Array.isArray(value) ? value[0] : value;
    if (v !== undefined && v.trim() !== "") flat[key] = v;
  }
  const parsed = auditFilterSchema.safeParse(flat);
  if (parsed.success) return { filter: parsed.data, errors: {} };
  const errors: Record<string, string> = {};
  const clean: Record<string, string> = { ...flat };
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0]);
    errors[key] = issue.message;
    delete clean[key];
  }
  return { filter: auditFilterSchema.parse(clean), errors };
}

export type AuditScope = { kind: "all" } | { kind: "list"; targetId: number; listId: string };

export interface AuditRow {
  id: number;
  at: Date;
  actorKind: AuditActorKind;
  actorLabel: string | null;
  actorName: string | null;
  actorEmail: string | null;
  targetId: number | null;
  targetName: string | null;
  listId: string | null;
  action: string;
  subject: string;
  outcome: AuditOutcome;
  detail: Record<string, unknown>;
}

function conditions(filter: AuditFilter, scope: AuditScope): SQL[] {
  const where: SQL[] = [];
  if (scope.kind === "list") {
    where.push(eq(auditEvents.targetId, scope.targetId), eq(auditEvents.listId, scope.listId));
  } else {
    if (filter.target) where.push(eq(auditEvents.targetId, filter.target));
    if (filter.list) where.push(eq(auditEvents.listId, filter.list.toLowerCase()));
  }
  if (filter.actorKind) where.push(eq(auditEvents.actorKind, filter.actorKind));
  if (filter.actor) {
    const actor = filter.actor.toLowerCase();
    const byEmail = inArray(auditEvents.actorUserId, sql`(select ${userEmails.userId} from ${userEmails} where ${userEmails.email} = ${actor})`);
    where.push(or(byEmail, sql`lower(${auditEvents.actorLabel}) = ${actor}`)!);
  }
  if (filter.action) {
    where.push(filter.action.endsWith(".") ? sql`${auditEvents.action} like ${`${filter.action}%`}` : eq(auditEvents.action, filter.action));
  }
  if (filter.from) where.push(gte(auditEvents.at, new Date(`${filter.from}T00:00:00Z`)));
  if (filter.to) where.push(lt(auditEvents.at, new Date(Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000)));
  return where;
}

const firstEmail = sql<string | null>`(select ${userEmails.email} from ${userEmails} where ${userEmails.userId} = ${auditEvents.actorUserId} order by ${userEmails.createdAt} limit 1)`;

async function select(filter: AuditFilter, scope: AuditScope, limit: number, extra: SQL[] = [], offset = 0): Promise<AuditRow[]> {
  const db = await getDb();
  const rows = await db
    .select({
      id: auditEvents.id,
      at: auditEvents.at,
      actorKind: auditEvents.actorKind,
      actorLabel: auditEvents.actorLabel,
      actorName: users.displayName,
      actorEmail: firstEmail,
      targetId: auditEvents.targetId,
      targetName: provisionerTargets.name,
      listId: auditEvents.listId,
      action: auditEvents.action,
      subject: auditEvents.subject,
      outcome: auditEvents.outcome,
      detail: auditEvents.detail,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .leftJoin(provisionerTargets, eq(provisionerTargets.id, auditEvents.targetId))
    .where(and(...conditions(filter, scope), ...extra))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(limit)
    .offset(offset);
  return rows.map((r) => ({ ...r, actorName: r.actorName || null }));
}

/** One page of rows, newest first, and the number of rows the filters match. */
export async function searchAuditLog(filter: AuditFilter, scope: AuditScope, pageSize = AUDIT_PAGE_SIZE): Promise<{ rows: AuditRow[]; total: number; page: number; pages: number }> {
  const db = await getDb();
  const [counted] = await db
    .select({ total: sql<number>`count(*)::int` })
    .from(auditEvents)
    .where(and(...conditions(filter, scope)));
  const total = counted?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(filter.page ?? 1, pages);
  const rows = await select(filter, scope, pageSize, [], (page - 1) * pageSize);
  return { rows, total, page, pages };
}

/** Every matching row, newest first, in batches (for the CSV export). */
export async function* allAuditRows(filter: AuditFilter, scope: AuditScope, batchSize = 1000): AsyncGenerator<AuditRow> {
  let before: { at: Date; id: number } | null = null;
  for (;;) {
    const extra: SQL[] = before
      ? [or(lt(auditEvents.at, before.at), and(eq(auditEvents.at, before.at), lt(auditEvents.id, before.id)))!]
      : [];
    const batch = await select(filter, scope, batchSize, extra);
    for (const row of batch) yield row;
    if (batch.length < batchSize) return;
    const last = batch[batch.length - 1]!;
    before = { at: last.at, id: last.id };
  }
}

/** The lists that appear in the log of one server or all, for the list filter's choices. */
export async function auditedLists(targetId?: number): Promise<string[]> {
  const db = await getDb();
  const rows = await db
    .selectDistinct({ listId: auditEvents.listId })
    .from(auditEvents)
    .where(and(sql`${auditEvents.listId} is not null`, targetId ? eq(auditEvents.targetId, targetId) : undefined))
    .orderBy(auditEvents.listId)
    .limit(2000);
  return rows.map((r) => r.listId!).filter(Boolean);
}
