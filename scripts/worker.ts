/**
 * The job worker process: `npm run worker` (PostgreSQL: run it next to the app; see README).
 *
 *   tsx scripts/worker.ts [--until-idle] [--progress]
 *
 * --until-idle  exit once no bulk job is queued or running (scripts, tests, one-off catch-up)
 * --progress    print "batch <jobId> <items>" after each recorded batch (tests watch for it)
 * --lease-ms    how long a job stays claimed after this worker stops renewing it (default 10 s):
 *               the time before another worker resumes the job of one that died
 *
 * SIGTERM/SIGINT finish the batches in flight, release their jobs for the next worker and exit.
 */
import { parseArgs } from "node:util";

async function main() {
  const { values } = parseArgs({
    options: {
      "until-idle": { type: "boolean", default: false },
      progress: { type: "boolean", default: false },
      "lease-ms": { type: "string", default: "10000" },
    },
  });
  const { startWorker } = await import("@/lib/jobs/worker");
  const { logger } = await import("@/lib/logger");
  // pg-boss marks a job complete after the handler; while PostgreSQL restarts that call fails
  // and its promise is left unhandled, which ended the worker (seen in the soak). The job's state
  // lives in Listkeeper's own tables and an unfinished job is resumed, so log it and carry on.
  process.on("unhandledRejection", (reason) => {
    logger.error({ err: reason instanceof Error ? { message: reason.message, code: (reason as { code?: string }).code } : String(reason) }, "unhandled rejection in the job worker (carrying on)");
  });
  const { closeDb } = await import("@/db/client");
  const leaseMs = Number(values["lease-ms"]);
  if (!Number.isInteger(leaseMs) || leaseMs < 1_000) throw new Error("--lease-ms must be a whole number of milliseconds, at least 1000.");
  const worker = await startWorker({
    leaseMs,
    recoveryIntervalMs: Math.min(2_000, leaseMs / 2),
    onBatch: values.progress ? (jobId, recorded) => process.stdout.write(`batch ${jobId} ${recorded}\n`) : undefined,
  });
  console.log(`worker ${worker.workerId} started`);
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await worker.stop();
    await closeDb();
    process.exit(code);
  };
  process.on("SIGTERM", () => void stop(0));
  process.on("SIGINT", () => void stop(0));
  if (values["until-idle"]) {
    await worker.idle();
    console.log("no bulk job left: exiting");
    await stop(0);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
