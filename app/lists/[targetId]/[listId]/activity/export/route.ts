import { auditCsvLines } from "@/lib/audit/csv";
import { allAuditRows, parseAuditFilter } from "@/lib/audit/search";
import { consoleRoute } from "@/lib/entry/route";
import { logger } from "@/lib/logger";
import { csvDownload, rosterCsvStream } from "@/lib/members/csv-export";

/** One list's audit log as CSV, with the page's filters (owners and superusers). */
export const GET = consoleRoute({ access: "signed_in", list: "administer" }, async ({ list, request }) => {
  const { filter } = parseAuditFilter(Object.fromEntries(new URL(request.url).searchParams));
  const scope = { kind: "list" as const, targetId: list.target.id, listId: list.list.list_id };
  const stream = rosterCsvStream(
    auditCsvLines(allAuditRows({ ...filter, target: undefined, list: undefined }, scope)),
    (error) => logger.warn({ err: { name: (error as Error).name, message: (error as Error).message }, listId: list.list.list_id }, "audit export failed midway"),
    request.signal,
  );
  return csvDownload(stream, `${list.list.list_id.replace(/[^A-Za-z0-9._-]+/g, "_")}-activity.csv`);
});
