import type { MailmanClient } from "@/lib/mailman";
import { deliveryStatuses, type Member, type MemberField } from "@/lib/mailman/schemas";
import { neutraliseFormula } from "./csv-formula";
import { fetchRosterPage, type RosterQuery } from "./roster";

export { neutraliseFormula } from "./csv-formula";

/**
 * CSV export of a roster (console.md §3.6, §11 "Real CSV import/export"), streamed: one page of
 * the core's roster at a time, so a 10 000-member list never sits in memory. Rows follow the
 * core's order (by address).
 */

export const EXPORT_PAGE_SIZE = 500;

export const CSV_COLUMNS = [
  "email",
  "display_name",
  "role",
  "delivery_mode",
  "delivery_status",
  "moderation_action",
  "bounce_score",
  "last_bounce_received",
  "subscription_mode",
  "member_id",
] as const;

const EXPORT_FIELDS = [
  "member_id",
  "email",
  "display_name",
  "role",
  "delivery_mode",
  "moderation_action",
  "bounce_score",
  "last_bounce_received",
  "subscription_mode",
] as const satisfies readonly MemberField[];

/** RFC 4180: quote a field holding a comma, quote, CR or LF (or edge spaces); double the quotes. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(values: readonly string[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

/** Every cell is neutralised: the core's values are harmless, but it costs nothing to be sure. */
export function memberCsvLine(member: Member, deliveryStatus: string): string {
  return csvLine(
    [
      member.email ?? "",
      member.display_name ?? "",
      member.role ?? "",
      member.delivery_mode ?? "",
      deliveryStatus,
      // Empty: the list's default action applies.
      member.moderation_action ?? "",
      member.bounce_score == null ? "" : String(member.bounce_score),
      member.last_bounce_received ?? "",
      member.subscription_mode ?? "",
      member.member_id ?? "",
    ].map(neutraliseFormula),
  );
}

/**
 * Ids of the roster's members whose delivery is not `enabled`, by status. The core's member
 * resource has no delivery status, but `members/find` filters on it (in Python, over the whole
 * roster, about 0.8 ms per member on 3.3.8): one call per non-enabled status, each normally a
 * single page because few members are disabled. Memory is proportional to the disabled members.
 */
async function disabledStatuses(client: MailmanClient, listId: string, query: RosterQuery, pageSize: number): Promise<Map<string, string>> {
  const byId = new Map<string, string>();
  // One after the other on purpose: each look-up keeps a core worker busy for the whole scan
  // (8 s for 10 000 members), and the core has two. In parallel they queued behind each other
  // past the client's 15 s timeout and were retried (bench/roster.ts), and they would block
  // every other request to the core meanwhile.
  for (const status of deliveryStatuses) {
    if (status === "enabled") continue;
    for (let page = 1; ; page++) {
      const result = await client.findMembers({ listId, role: query.role, deliveryStatus: status }, { count: pageSize, page }, ["member_id"]);
      for (const m of result.entries) if (m.member_id) byId.set(m.member_id, status);
      if (result.entries.length === 0 || page * pageSize >= result.total) break;
    }
  }
  return byId;
}

/**
 * The CSV text of a roster view: the header line, then the lines of one core page per chunk.
 * Each page is requested only when the consumer asks for more, so a slow download slows the core
 * calls instead of filling memory.
 */
export async function* rosterCsvLines(
  client: MailmanClient,
  listId: string,
  query: RosterQuery,
  options: { pageSize?: number } = {},
): AsyncGenerator<string, void, undefined> {
  const pageSize = options.pageSize ?? EXPORT_PAGE_SIZE;
  yield csvLine(CSV_COLUMNS);
  const statuses = query.status ? null : await disabledStatuses(client, listId, query, pageSize);
  for (let page = 1; ; page++) {
    const result = await fetchRosterPage(client, listId, query, { count: pageSize, page }, EXPORT_FIELDS);
    let chunk = "";
    for (const member of result.entries) {
      chunk += memberCsvLine(member, query.status ?? statuses?.get(member.member_id ?? "") ?? "enabled");
    }
    if (chunk) yield chunk;
    if (result.entries.length < pageSize || page * pageSize >= result.total) return;
  }
}

/**
 * A byte stream of `rosterCsvLines`, pulled page by page (back-pressure from the response). When
 * the client goes away (the request's `signal` aborts, or the consumer cancels) the stream closes
 * and the generator is stopped: no further page is fetched and nothing is written after that
 * (Next logged "The destination stream errored while writing data" when a page arrived after the
 * browser had left).
 */
export function rosterCsvStream(
  lines: AsyncGenerator<string, void, undefined>,
  onError?: (error: unknown) => void,
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let stopped = false;
  let close: () => void = () => {};
  const stop = () => {
    if (stopped) return;
    stopped = true;
    signal?.removeEventListener("abort", onAbort);
    // A generator busy in a pull finishes that step first, then returns.
    void lines.return(undefined).catch(() => undefined);
  };
  const onAbort = () => {
    close();
    stop();
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      close = () => {
        try {
          controller.close();
        } catch {
          // already closed or errored
        }
      };
      if (signal?.aborted) onAbort();
      else signal?.addEventListener("abort", onAbort, { once: true });
    },
    async pull(controller) {
      if (stopped) return;
      try {
        const next = await lines.next();
        if (stopped) return;
        if (next.done) {
          stop();
          controller.close();
        } else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        if (stopped) return;
        stop();
        onError?.(error);
        controller.error(error);
      }
    },
    cancel() {
      stop();
    },
  });
}

export function exportFileName(listId: string, role: string): string {
  return `${listId.replace(/[^A-Za-z0-9._-]+/g, "_")}-${role}s.csv`;
}

/** A streamed CSV download that the browser saves and never renders or sniffs. */
export function csvDownload(stream: ReadableStream<Uint8Array>, fileName: string): Response {
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
