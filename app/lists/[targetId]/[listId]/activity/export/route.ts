import { auditCsvLines } from "@/lib/audit/csv";
import { allAuditRows, parseAuditFilter } from "@/lib/audit/search";
import { listRoute } from "@/lib/auth/list-route";
import { logger } from "@/lib/logger";
import { csvDownload, rosterCsvStream } from "@/lib/members/csv-export";

/** One list's audit log as CSV, with the page's filters (owners and superusers). */
export const GET = listRoute("administer", async (access, _params, request) => {
  const { filter } = parseAuditFilter(Object.fromEntries(new URL(request.url).searchParams));
  const scope = { kind: "list" as const, targetId: access.target.id, listId: access.list.list_id };
  const stream = rosterCsvStream(auditCsvLines(allAuditRows({ ...filter, target: undefined, list: undefined }, scope)), (error) =>
    logger.warn({ err: { name: (error as Error).name, message: (error as Error).message }, listId: access.list.list_id }, "audit export failed midway"),
  );
  return csvDownload(stream, `${access.list.list_id.replace(/[^A-Za-z0-9._-]+/g, "_")}-activity.csv`);
});
