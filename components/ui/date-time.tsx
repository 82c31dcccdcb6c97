"use client";

import { useSyncExternalStore } from "react";
import { formatDateTime, toDate, type DateInput } from "@/lib/format/date-time";

const noSubscription = () => () => {};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
const serverZone = () => "UTC";

/**
 * A date and time in the viewer's time zone, the zone shown ("2026-11-20 23:38 CET"). The server
 * knows no viewer's zone: it renders UTC, and the browser re-renders in its own zone after
 * hydration (useSyncExternalStore's server snapshot, so no hydration mismatch).
 */
export function DateTime({ value, fallback = "—", className }: { value: DateInput; fallback?: string; className?: string }) {
  const zone = useSyncExternalStore(noSubscription, browserZone, serverZone);
  const date = toDate(value);
  if (!date) return <span className={className}>{formatDateTime(value, zone, fallback)}</span>;
  return (
    <time dateTime={date.toISOString()} className={className} data-zone={zone}>
      {formatDateTime(date, zone, fallback)}
    </time>
  );
}
