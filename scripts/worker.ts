/**
 * The job worker process: `npm run worker` (PostgreSQL: run it next to the app; see README).
 *
 *   tsx scripts/worker.ts [--until-idle] [--progress]
 *
 * --until-idle  exit once no bulk job is queued or running (scripts, tests, one-off catch-up)
 * --progress    print "batch <jobId> <items>" after each recorded batch (tests watch for it)
 *
 * SIGTERM/SIGINT finish the batches in flight, release their jobs for the next worker and exit.
 */
import { parseArgs } from "node:util";

async function main() {
  const { values } = parseArgs({
    options: { "until-idle": { type: "boolean", default: false }, progress: { type: "boolean", default: false } },
  });
  const { startWorker } = await import("@/lib/jobs/worker");
  const { closeDb } = await import("@/db/client");
  const worker = await startWorker({
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
