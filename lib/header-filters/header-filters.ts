import { z } from "zod";
import { noteChange, type AuditAction } from "@/lib/audit";
import type { ListAccess, ListRef } from "@/lib/auth/list-access";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { MailmanError } from "@/lib/mailman";
import {
  addHeaderMatch,
  deleteHeaderMatch,
  getHeaderMatch,
  listHeaderMatches,
  moveHeaderMatch,
  updateHeaderMatch,
  type HeaderMatch,
  type HeaderMatchPatch,
} from "@/lib/mailman/header-matches";
import { addRuleSchema, deleteRuleSchema, moveRuleSchema, updateRuleSchema, type FilterAction } from "./rule-input";

/**
 * Header filters edited one rule at a time (console.md §9 point 7): POST to add, PATCH to edit or
 * move, DELETE to remove. Postorius wipes and rewrites every rule on save, which loses rules on a
 * failed POST and erases tags other tools set; none of that happens here.
 */

export interface HeaderFilterRow {
  position: number;
  header: string;
  pattern: string;
  /** "defer" and unknown chains come from other tools; the editor flags them. */
  action: FilterAction | "defer" | (string & {});
  tag: string;
}

const STALE = "The header filters changed since this page was loaded (someone else may have edited them). Reload the page and try again.";

function toRow(match: HeaderMatch): HeaderFilterRow {
  return { position: match.position, header: match.header, pattern: match.pattern, action: match.action || "default", tag: match.tag ?? "" };
}

/** Parses with a form schema and reports the first problem as a typed error on its field. */
function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new InvalidInputError(issue?.message ?? "The request was not valid.", { field: issue?.path[0]?.toString() });
}

const toCoreAction = (action: FilterAction) => (action === "default" ? null : action);

/** Turns the core's refusals of a rule into messages next to the field they concern. */
function explain(error: unknown): never {
  if (error instanceof MailmanError && error.status === 400) {
    const description = error.description ?? "";
    if (/already exists/i.test(description)) throw new ConflictError("This list already has a rule with this header and this exact pattern.", { field: "pattern" });
    if (/"pattern"/.test(description)) {
      throw new InvalidInputError(`Mailman (Python) cannot compile this pattern: ${description.replace(/^Invalid Parameter "pattern": /, "")}`, { field: "pattern" });
    }
    if (/position/i.test(description)) throw new ConflictError(`${description}. ${STALE}`);
  }
  if (error instanceof MailmanError && error.status === 404) throw new ConflictError(STALE);
  throw error;
}

/** The rule at `position`, checked to be the one the user saw (its header and pattern). */
async function ruleAsSeen(access: ListAccess, position: number, header: string, pattern: string): Promise<HeaderMatch> {
  const match = await getHeaderMatch(access.client, access.list.list_id, position);
  if (!match || match.header !== header.toLowerCase() || match.pattern !== pattern) throw new ConflictError(STALE);
  return match;
}

/** Describes a change made to the list's header filters (the door's audit scope writes it). */
function audit(access: ListAccess, action: AuditAction, detail: Record<string, unknown>) {
  return noteChange({ targetId: access.target.id, action, subject: access.list.list_id, detail });
}

/** All rules of the list, in order: one core call. */
export async function loadHeaderFilters(access: ListRef): Promise<HeaderFilterRow[]> {
  const matches = await listHeaderMatches(access.client, access.list.list_id);
  return matches.sort((a, b) => a.position - b.position).map(toRow);
}

/** Appends a rule (1 core call). `defer` and malformed input are refused before anything is sent. */
export async function addHeaderFilter(access: ListAccess, input: z.input<typeof addRuleSchema>): Promise<HeaderFilterRow> {
  const data = parse(addRuleSchema, input);
  let position: number;
  try {
    position = await addHeaderMatch(access.client, access.list.list_id, {
      header: data.header,
      pattern: data.pattern,
      action: toCoreAction(data.action),
      tag: data.tag || null,
    });
  } catch (error) {
    explain(error);
  }
  await audit(access, "header-filter.add", { position, header: data.header, pattern: data.pattern, action: data.action, tag: data.tag });
  return { position, header: data.header, pattern: data.pattern, action: data.action, tag: data.tag };
}

/**
 * Changes a rule in place (2 core calls: the rules, to check the one seen and refuse a
 * duplicate the core would accept on PATCH; then one PATCH with only the changed fields, so an
 * untouched tag keeps its case, Q-13). No call at all when nothing changed.
 */
export async function updateHeaderFilter(access: ListAccess, input: z.input<typeof updateRuleSchema>): Promise<{ changed: string[] }> {
  const data = parse(updateRuleSchema, input);
  const rules = await listHeaderMatches(access.client, access.list.list_id);
  const current = rules.find((r) => r.position === data.position);
  if (!current || current.header !== data.expectedHeader.toLowerCase() || current.pattern !== data.expectedPattern) throw new ConflictError(STALE);
  if (rules.some((r) => r.position !== data.position && r.header === data.header && r.pattern === data.pattern)) {
    throw new ConflictError("This list already has a rule with this header and this exact pattern.", { field: "pattern" });
  }
  const patch: HeaderMatchPatch = {};
  if (data.header !== current.header) patch.header = data.header;
  if (data.pattern !== current.pattern) patch.pattern = data.pattern;
  if (data.action !== (current.action || "default")) patch.action = toCoreAction(data.action);
  if (data.tag !== (current.tag ?? "")) patch.tag = data.tag;
  const changed = Object.keys(patch);
  if (changed.length === 0) return { changed };
  try {
    await updateHeaderMatch(access.client, access.list.list_id, data.position, patch);
  } catch (error) {
    explain(error);
  }
  await audit(access, "header-filter.update", { position: data.position, before: toRow(current), changed: patch });
  return { changed };
}

/** Moves a rule (2 core calls: check the rule seen, then `PATCH {position}`). */
export async function moveHeaderFilter(access: ListAccess, input: z.input<typeof moveRuleSchema>): Promise<void> {
  const data = parse(moveRuleSchema, input);
  if (data.to === data.position) return;
  await ruleAsSeen(access, data.position, data.expectedHeader, data.expectedPattern);
  try {
    await moveHeaderMatch(access.client, access.list.list_id, data.position, data.to);
  } catch (error) {
    explain(error);
  }
  await audit(access, "header-filter.move", { from: data.position, to: data.to, header: data.expectedHeader, pattern: data.expectedPattern });
}

/** Removes a rule (2 core calls: check the rule seen, then DELETE). */
export async function deleteHeaderFilter(access: ListAccess, input: z.input<typeof deleteRuleSchema>): Promise<void> {
  const data = parse(deleteRuleSchema, input);
  const rule = await ruleAsSeen(access, data.position, data.expectedHeader, data.expectedPattern);
  try {
    await deleteHeaderMatch(access.client, access.list.list_id, data.position);
  } catch (error) {
    if (error instanceof MailmanError && error.status === 404) throw new NotFoundError(STALE);
    throw error;
  }
  await audit(access, "header-filter.delete", { position: data.position, rule: toRow(rule) });
}

