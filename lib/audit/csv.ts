import { neutraliseFormula } from "@/lib/members/csv-formula";
import { actionLabel, describeAuditDetail } from "./describe";
import type { AuditRow } from "./search";

/** The audit export's columns (pure): one line per row, every cell formula-neutralised. */
export const AUDIT_CSV_HEADER = ["time_utc", "actor", "actor_kind", "server", "list", "action", "action_name", "outcome", "summary"] as const;

function cell(value: string): string {
  const safe = neutraliseFormula(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const ACTOR_KIND_WORDS: Record<string, string> = { api_token: "API token", scim: "SCIM", scheduler: "Scheduler", cli: "Command line", system: "System" };

export function actorText(row: Pick<AuditRow, "actorKind" | "actorLabel" | "actorName" | "actorEmail">): string {
  if (row.actorKind === "user") return row.actorEmail ?? row.actorName ?? "(deleted account)";
  const who = row.actorLabel ?? "";
  const kind = ACTOR_KIND_WORDS[row.actorKind] ?? row.actorKind;
  return who ? `${kind} ${who}` : kind;
}

export function auditCsvLine(row: AuditRow): string {
  return [
    row.at.toISOString(),
    actorText(row),
    row.actorKind,
    row.targetName ?? "",
    row.listId ?? "",
    actionLabel(row.action),
    row.action,
    row.outcome,
    describeAuditDetail(row.action, row.subject, row.detail),
  ]
    .map(cell)
    .join(",");
}

/** The export's text, line by line: header first, then every matching row (newest first). */
export async function* auditCsvLines(rows: AsyncIterable<AuditRow>): AsyncGenerator<string, void, undefined> {
  yield `${AUDIT_CSV_HEADER.join(",")}\r\n`;
  for await (const row of rows) yield `${auditCsvLine(row)}\r\n`;
}
