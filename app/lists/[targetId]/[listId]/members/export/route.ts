import { consoleRoute } from "@/lib/entry/route";
import { logger } from "@/lib/logger";
import { csvDownload, exportFileName, rosterCsvLines, rosterCsvStream } from "@/lib/members/csv-export";
import { rosterQuerySchema } from "@/lib/members/roster";

/**
 * CSV export of a roster view (role, search and filters as on the page), streamed page by page
 * (lib/members/csv-export.ts). Same guard as every list action: owners and superusers only.
 */
export const GET = consoleRoute({ access: "signed_in", list: "administer", query: rosterQuerySchema }, async ({ list, query, request }) => {
  const stream = rosterCsvStream(
    rosterCsvLines(list.client, list.list.list_id, query),
    (error) => logger.warn({ err: { name: (error as Error).name, message: (error as Error).message }, listId: list.list.list_id }, "roster export failed midway"),
    request.signal,
  );
  return csvDownload(stream, exportFileName(list.list.list_id, query.role));
});
