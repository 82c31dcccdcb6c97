import { auditCsvLines } from "@/lib/audit/csv";
import { allAuditRows, parseAuditFilter } from "@/lib/audit/search";
import { consoleRoute } from "@/lib/entry/route";
import { logger } from "@/lib/logger";
import { csvDownload, rosterCsvStream } from "@/lib/members/csv-export";

/** The site audit log as CSV, with the page's filters (superusers only). */
export const GET = consoleRoute({ access: "superuser" }, async ({ request }) => {
  const { filter } = parseAuditFilter(Object.fromEntries(new URL(request.url).searchParams));
  const stream = rosterCsvStream(
    auditCsvLines(allAuditRows(filter, { kind: "all" })),
    (error) => logger.warn({ err: { name: (error as Error).name, message: (error as Error).message } }, "audit export failed midway"),
    request.signal,
  );
  return csvDownload(stream, `listkeeper-audit-${new Date().toISOString().slice(0, 10)}.csv`);
});
