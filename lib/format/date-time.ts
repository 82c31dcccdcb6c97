/**
 * The one date/time format of the UI: "2026-11-20 23:38 CET", in the viewer's time zone with the
 * zone shown (components/ui/date-time.tsx picks the zone in the browser; the server renders UTC
 * until then). The core's timestamps are naive ISO strings in UTC (mailman-rest.md §1).
 */
export type DateInput = Date | string | null | undefined;

/** A Date from a Listkeeper Date, an ISO string with a zone, or the core's naive UTC ISO string. */
export function toDate(value: DateInput): Date | null {
  if (value === null || value === undefined || value === "") return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  const naive = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value);
  const date = new Date(naive ? `${value}Z` : value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** "2026-11-20 23:38 CET"; `fallback` for a missing or unreadable value. */
export function formatDateTime(value: DateInput, timeZone = "UTC", fallback = "—"): string {
  const date = toDate(value);
  if (!date) return typeof value === "string" && value ? value : fallback;
  let zone = timeZone;
  try {
    formatFor(zone);
  } catch {
    zone = "UTC";
  }
  const parts = Object.fromEntries(formatFor(zone).formatToParts(date).map((p) => [p.type, p.value]));
  const name = zone === "UTC" || zone === "Etc/UTC" ? "UTC" : parts.timeZoneName;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${name}`;
}
