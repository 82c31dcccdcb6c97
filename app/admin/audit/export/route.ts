import { csvDownload, rosterCsvStream } from "@/lib/members/csv-export";
import { auditCsvLines } from "@/lib/audit/csv";
import { allAuditRows, parseAuditFilter } from "@/lib/audit/search";
import { requireSuperuser } from "@/lib/auth/guard";
import { ForbiddenError, UnauthenticatedError } from "@/lib/errors";
import { logger } from "@/lib/logger";

/** The site audit log as CSV, with the page's filters (superusers only). */
export async function GET(request: Request): Promise<Response> {
  try {
    await requireSuperuser();
  } catch (error) {
    if (error instanceof UnauthenticatedError) return Response.json({ error: "Sign in first." }, { status: 401 });
    if (error instanceof ForbiddenError) return Response.json({ error: error.message }, { status: 403 });
    throw error;
  }
  const { filter } = parseAuditFilter(Object.fromEntries(new URL(request.url).searchParams));
  const stream = rosterCsvStream(auditCsvLines(allAuditRows(filter, { kind: "all" })), (error) =>
    logger.warn({ err: { name: (error as Error).name, message: (error as Error).message } }, "audit export failed midway"),
  );
  return csvDownload(stream, `listkeeper-audit-${new Date().toISOString().slice(0, 10)}.csv`);
}
