import { z } from "zod";
import type { MailmanClient } from "@/lib/mailman";
import { deliveryModes, deliveryStatuses, memberRoles, type Member, type MemberField, type Page } from "@/lib/mailman/schemas";
import { memberModerationChoices } from "./member-input";

/**
 * Rosters of one list (console.md §3.6, §9 point 3): one core call per page view whatever the
 * roster's size. The page's `total_size` gives the count (Postorius makes a second `count=0`
 * call), `fields=` keeps the answer small, and search and filters run in the core
 * (`members/find`, `*term*` wildcards).
 */

export const ROSTER_PAGE_SIZE = 25;
export const MAX_ROSTER_PAGE_SIZE = 100;

/** The projection of a roster page. `delivery_status` is not a member field in the core. */
export const ROSTER_FIELDS = [
  "member_id",
  "email",
  "display_name",
  "delivery_mode",
  "moderation_action",
  "bounce_score",
  "subscription_mode",
] as const satisfies readonly MemberField[];

const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" || v === undefined ? undefined : first(v)), schema.optional());

/** Query of a roster, as found in the URL (`?role=&q=&mode=&status=&moderation=&page=&size=`). */
export const rosterQuerySchema = z.object({
  role: optional(z.enum(memberRoles)).transform((v) => v ?? "member"),
  q: optional(z.string().trim().max(100, "The search is too long.")).transform((v) => v ?? ""),
  mode: optional(z.enum(deliveryModes)),
  status: optional(z.enum(deliveryStatuses)),
  moderation: optional(z.enum(memberModerationChoices)),
  page: optional(z.coerce.number().int().min(1).max(1_000_000)).transform((v) => v ?? 1),
  size: optional(z.coerce.number().int().min(1).max(MAX_ROSTER_PAGE_SIZE)).transform((v) => v ?? ROSTER_PAGE_SIZE),
});
export type RosterQuery = z.output<typeof rosterQuerySchema>;

/**
 * A page's query from its search parameters: a value that does not parse (an old bookmark, a
 * hand-edited URL) falls back to its default instead of failing the page.
 */
export function parseRosterQuery(raw: Record<string, unknown>): RosterQuery {
  const strict = rosterQuerySchema.safeParse(raw);
  if (strict.success) return strict.data;
  const bad = new Set(strict.error.issues.map((i) => String(i.path[0])));
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([key]) => !bad.has(key)));
  return rosterQuerySchema.parse(cleaned);
}

export function isFiltered(query: Pick<RosterQuery, "q" | "mode" | "status" | "moderation">): boolean {
  return query.q !== "" || query.mode !== undefined || query.status !== undefined || query.moderation !== undefined;
}

/** `*term*` unless the admin wrote wildcards; the core lower-cases and matches address or name. */
export function searchPattern(q: string): string {
  return q.includes("*") ? q : `*${q}*`;
}

/**
 * One core call for a page of `query` with `fields`: the roster itself, or `members/find` with
 * the search and filters. `moderation=default` is sent as an empty value, which the core reads
 * as "no action of its own" (list default).
 */
export function fetchRosterPage(
  client: MailmanClient,
  listId: string,
  query: RosterQuery,
  request: { count: number; page: number },
  fields: readonly MemberField[],
): Promise<Page<Member>> {
  if (!isFiltered(query)) return client.roster(listId, query.role, request, fields);
  return client.findMembers(
    {
      listId,
      role: query.role,
      subscriber: query.q ? searchPattern(query.q) : undefined,
      deliveryMode: query.mode,
      deliveryStatus: query.status,
      moderationAction: query.moderation === undefined ? undefined : query.moderation === "default" ? "" : query.moderation,
    },
    request,
    fields,
  );
}

export interface RosterRow {
  memberId: string;
  email: string;
  displayName: string;
  deliveryMode: string;
  /** Known only when the page is filtered by status: the core's rosters do not carry it. */
  deliveryStatus: string | null;
  /** null: the list's default action applies. */
  moderationAction: string | null;
  bounceScore: number;
  subscriptionMode: string;
}

export interface RosterPage {
  query: RosterQuery;
  rows: RosterRow[];
  total: number;
  pageCount: number;
}

export function toRow(member: Member, knownStatus: string | null): RosterRow {
  return {
    memberId: member.member_id ?? "",
    email: member.email ?? "",
    displayName: member.display_name ?? "",
    deliveryMode: member.delivery_mode ?? "",
    deliveryStatus: knownStatus,
    moderationAction: member.moderation_action ?? null,
    bounceScore: member.bounce_score ?? 0,
    subscriptionMode: member.subscription_mode ?? "",
  };
}

export async function loadRoster(client: MailmanClient, listId: string, query: RosterQuery): Promise<RosterPage> {
  const page = await fetchRosterPage(client, listId, query, { count: query.size, page: query.page }, ROSTER_FIELDS);
  return {
    query,
    rows: page.entries.map((m) => toRow(m, query.status ?? null)),
    total: page.total,
    pageCount: Math.max(1, Math.ceil(page.total / query.size)),
  };
}

/** The URL query of a roster view, leaving out defaults so links stay short. */
export function rosterSearchParams(query: Partial<RosterQuery>): URLSearchParams {
  const params = new URLSearchParams();
  if (query.role && query.role !== "member") params.set("role", query.role);
  if (query.q) params.set("q", query.q);
  if (query.mode) params.set("mode", query.mode);
  if (query.status) params.set("status", query.status);
  if (query.moderation) params.set("moderation", query.moderation);
  if (query.size && query.size !== ROSTER_PAGE_SIZE) params.set("size", String(query.size));
  if (query.page && query.page > 1) params.set("page", String(query.page));
  return params;
}
