/**
 * Next.js start-up hook. It records the address of every connection (for rate limits). With PGlite (one process only) the job worker runs inside the app
 * server; with PostgreSQL it runs as its own process (`npm run worker`), see lib/jobs/queue.ts.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  // Records each request's socket address for rate limits (lib/auth/client-address.ts).
  const { installPeerAddressHook } = await import("@/lib/auth/client-address");
  await installPeerAddressHook();
  const { workerPlacement } = await import("@/lib/jobs/queue");
  if (workerPlacement() !== "inline") return;
  const [{ startWorker }, { logger }] = await Promise.all([import("@/lib/jobs/worker"), import("@/lib/logger")]);
  // Not awaited: pages must not wait for the queue; a failure is logged and jobs stay queued.
  startWorker().catch((error) => logger.error({ err: error }, "the in-process job worker did not start"));
}
