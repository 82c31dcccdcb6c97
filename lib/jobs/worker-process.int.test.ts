import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, expect, it } from "vitest";

/**
 * The worker is a separate process that may die at any moment: this test kills it (SIGKILL, no
 * clean-up) in the middle of a 500-address mass subscribe, starts a new one, and checks that the
 * roster and the report are exact. On PGlite, which admits one process at a time, the database
 * lives in a directory of its own and this process closes it while a worker runs.
 */

const repoRoot = path.resolve(__dirname, "../..");
const { ownDatabase } = await import("@/tests/support/own-database");
const dropOwnDatabase = await ownDatabase("wkill");

// Imported after PGLITE_DIR is set: lib/env reads the environment once, when first imported.
const { closeDb } = await import("@/db/client");
const { stopQueue } = await import("@/lib/jobs/queue");
const { authorizeList } = await import("@/lib/auth/list-access");
const { allReportRows, getBulkJob } = await import("@/lib/members/bulk-store");
const { massSubscribeStartSchema } = await import("@/lib/members/mass-input");
const { startMassSubscribe } = await import("@/lib/members/mass-operations");
const { testClient, uniqueName } = await import("@/tests/support/core");
const { makeTarget, makeUser } = await import("@/tests/support/factories");

const children: ChildProcess[] = [];

function startWorkerProcess(onBatch: (items: number) => void): { child: ChildProcess; exited: Promise<number | null> } {
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  const child = spawn("npx", ["tsx", "scripts/worker.ts", "--progress", "--until-idle", "--lease-ms", "2000"], {
    cwd: repoRoot,
    env: { ...env, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  children.push(child);
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const match = /^batch \d+ (\d+)$/.exec(line);
    if (match) onBatch(Number(match[1]));
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited };
}

/** The whole process group: npx → tsx → node. */
function kill(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

afterAll(async () => {
  for (const child of children) kill(child, "SIGKILL");
  await closeDb();
  await dropOwnDatabase();
});

it("resumes a 500-address mass subscribe after the worker is killed: no address lost, none twice, the report exact", { timeout: 180_000 }, async () => {
  const core = testClient();
  const superuser = await makeUser({ superuser: true });
  const target = await makeTarget(superuser);
  const owner = await makeUser();
  const listId = await core.createList({ fqdnListname: `${uniqueName("kill")}@${target.domain}` });
  const flags = { preVerified: true, preConfirmed: true, preApproved: true };
  await core.subscribe({ listId, subscriber: owner.verifiedEmails[0]!, role: "owner", ...flags });
  // Five of the 500 are members already: their outcome must stay "already a member".
  const addresses = Array.from({ length: 500 }, (_, i) => `k${String(i).padStart(3, "0")}@kill.example`);
  const existing = addresses.filter((_, i) => i % 100 === 7);
  for (const email of existing) await core.subscribe({ listId, subscriber: email, ...flags });

  const access = await authorizeList(owner, target.id, listId, "administer");
  const { jobId } = await startMassSubscribe(
    access,
    massSubscribeStartSchema.parse({ targetId: target.id, listId, format: "text", input: addresses.join("\n"), options: {}, consent: true }),
  );
  await stopQueue();
  await closeDb();

  let recorded = 0;
  const first = startWorkerProcess((n) => (recorded += n));
  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (recorded >= 150) {
        clearInterval(poll);
        kill(first.child, "SIGKILL");
        resolve();
      }
    }, 5);
    first.exited.then(() => {
      clearInterval(poll);
      reject(new Error(`the worker exited before it was killed (${recorded} recorded)`));
    });
  });
  await first.exited;
  const recordedBeforeKill = recorded;
  expect(recordedBeforeKill).toBeLessThan(500);

  const second = startWorkerProcess(() => {});
  expect(await second.exited).toBe(0);

  const job = await getBulkJob(jobId);
  expect(job?.status).toBe("done");
  const rows = [];
  for await (const row of allReportRows(jobId)) rows.push(row);
  expect(rows.map((r) => r.email)).toEqual(addresses);
  expect(rows.every((r) => r.state === "done")).toBe(true);
  const expected = Object.fromEntries(addresses.map((a) => [a, existing.includes(a) ? "already_member" : "subscribed"]));
  expect(Object.fromEntries(rows.map((r) => [r.email, r.outcome]))).toEqual(expected);

  const roster = (await core.fullRoster(listId, "member", ["email"])).map((m) => m.email ?? "");
  expect(roster.length).toBe(500);
  expect(new Set(roster)).toEqual(new Set(addresses));
  const resent = rows.filter((r) => r.attempts > 1).length;
  console.log(`worker killed after ${recordedBeforeKill} of 500 results were recorded; ${resent} in-doubt addresses were sent again`);
});
