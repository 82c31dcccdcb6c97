/**
 * What one moderation decision did, for the per-item result lists of bulk actions. Pure and
 * shared by server code and client components.
 */
export type ItemOutcome =
  /** The core did it. */
  | "done"
  /** The decision was made but a follow-up step (whitelisting, banning) failed. */
  | "partial"
  /** The item was no longer there: handled by someone else, expired, or replaced. */
  | "stale"
  /** The core refused or could not be reached; nothing changed for this item. */
  | "failed";

export interface ItemResult {
  /** The held message's request id or the request's token. */
  id: string;
  outcome: ItemOutcome;
  message: string;
}

export interface ResultSummary {
  done: number;
  stale: number;
  failed: number;
  text: string;
}

/** "3 done, 1 already handled, 1 failed" for the heading of a result list. */
export function summarize(results: readonly ItemResult[]): ResultSummary {
  const done = results.filter((r) => r.outcome === "done" || r.outcome === "partial").length;
  const stale = results.filter((r) => r.outcome === "stale").length;
  const failed = results.filter((r) => r.outcome === "failed").length;
  const parts = [`${done} done`];
  if (stale) parts.push(`${stale} already handled`);
  if (failed) parts.push(`${failed} failed`);
  return { done, stale, failed, text: parts.join(", ") };
}
