import { z } from "zod";
import { OUTCOME_LABELS, REMOVE_OUTCOMES, SUBSCRIBE_OUTCOMES, type BulkOutcome } from "./bulk-outcome";
import { allReportRows, jobProgress, type BulkJob, type JobProgress } from "./bulk-store";
import { csvLine, neutraliseFormula } from "./csv-export";

/**
 * What the browser sees of a bulk job: its progress (polled while it runs) and its report, as a
 * paged table and as a CSV file with one row per address in input order.
 */

export interface BulkJobStatus extends JobProgress {
  id: number;
  kind: BulkJob["kind"];
  status: BulkJob["status"];
  cancelRequested: boolean;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const isFinished = (status: BulkJob["status"]) => status === "done" || status === "failed" || status === "cancelled";

export async function bulkJobStatus(job: BulkJob): Promise<BulkJobStatus> {
  const progress = await jobProgress(job);
  return {
    ...progress,
    id: job.id,
    kind: job.kind,
    status: job.status,
    cancelRequested: job.cancelRequested,
    error: job.error,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

export function outcomesOf(kind: BulkJob["kind"]): readonly BulkOutcome[] {
  return kind === "subscribe" ? SUBSCRIBE_OUTCOMES : REMOVE_OUTCOMES;
}

export const REPORT_PAGE_SIZE = 50;

export function reportQuerySchema(kind: BulkJob["kind"]) {
  return z.object({
    page: z.coerce.number().int().min(1).max(100_000).catch(1),
    outcome: z.enum(outcomesOf(kind) as [BulkOutcome, ...BulkOutcome[]]).optional().catch(undefined),
  });
}

export const REPORT_COLUMNS = ["line", "email", "display_name", "outcome", "outcome_label", "detail"] as const;

export async function* bulkReportCsvLines(jobId: number): AsyncGenerator<string, void, undefined> {
  yield csvLine(REPORT_COLUMNS);
  for await (const row of allReportRows(jobId)) {
    const outcome = row.outcome ?? (row.state === "pending" ? "" : "in_progress");
    const label = row.outcome ? OUTCOME_LABELS[row.outcome] : row.state === "pending" ? "Not sent yet" : "Being sent";
    // Invalid lines and names are the uploader's own text: never let them run as spreadsheet formulas.
    yield csvLine([String(row.position), neutraliseFormula(row.email), neutraliseFormula(row.displayName ?? ""), outcome, label, neutraliseFormula(row.detail ?? "")]);
  }
}

/** What the job did, in the words of the page that started it. */
export function bulkJobTitle(job: Pick<BulkJob, "kind" | "source" | "options">): string {
  const options = job.options as Record<string, unknown>;
  if (job.kind === "subscribe") return options.invitation ? "Mass invitation" : "Mass subscribe";
  const how = options.notify ? " with notices" : "";
  return job.source === "roster" ? `Remove all members${how}` : `Mass removal${how}`;
}

export function reportFileName(job: BulkJob): string {
  const safe = job.listId.replace(/[^A-Za-z0-9._-]+/g, "_");
  return `${safe}-${job.kind === "subscribe" ? "mass-subscribe" : "removal"}-${job.id}.csv`;
}
