/**
 * `npm test`: typecheck, lint, unit tests, integration tests against a real Mailman core and the
 * configured database, the browser suite against a production build, then the soak (load and
 * faults, `npm run test:soak`) on the same build. One core serves the integration and browser
 * stages; the soak starts its own.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { acquireTestCore, coreEnv } from "./lib/core-env";
import { repoRoot } from "./lib/local-secrets";
import { run } from "./lib/run";

const reportDir = path.join(repoRoot, ".data", "reports");

function vitest(project: string, report: string): string[] {
  return ["vitest", "run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${path.join(reportDir, report)}`];
}

/** Adds up what each runner reported, for the one closing line CI reads. */
function countTests(): { passed: number; failed: number; skipped: number } {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  if (!existsSync(reportDir)) return totals;
  for (const file of ["unit.json", "integration.json", "integration-pglite.json"]) {
    const p = path.join(reportDir, file);
    if (!existsSync(p)) continue;
    const r = JSON.parse(readFileSync(p, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += r.numPendingTests + r.numTodoTests;
  }
  const soak = path.join(reportDir, "soak.json");
  if (existsSync(soak)) {
    const r = JSON.parse(readFileSync(soak, "utf8")) as { passed: number; failed: number };
    totals.passed += r.passed;
    totals.failed += r.failed;
  }
  const e2e = path.join(reportDir, "e2e.json");
  if (existsSync(e2e)) {
    const r = JSON.parse(readFileSync(e2e, "utf8")) as { stats: { expected: number; unexpected: number; skipped: number; flaky: number } };
    totals.passed += r.stats.expected + r.stats.flaky;
    totals.failed += r.stats.unexpected;
    totals.skipped += r.stats.skipped;
  }
  return totals;
}

/**
 * Integration tests that run a second time on PGlite when the suite runs on PostgreSQL: the
 * directories whose code has SQL of its own (locks, job leases, the audit search, snapshots,
 * the registry). Without DATABASE_URL every test runs on PGlite anyway.
 */
const PGLITE_ALSO = [
  "app/api/v1/",
  "app/scim/",
  "lib/audit/",
  "lib/auth/",
  "lib/identity/",
  "lib/jobs/",
  "lib/lists/",
  "lib/members/bulk-run",
  "lib/members/mass-operations",
  "lib/ops/",
  "lib/people/",
  "lib/provisioning/executor",
  "lib/provisioning/fault",
  "lib/provisioning/sync-console",
  "lib/provisioning/triggers",
  "lib/registry/",
  "lib/self-service/",
  "lib/targets/",
];

const stages: { name: string; ms: number; ok: boolean }[] = [];

async function stage(name: string, fn: () => Promise<void>) {
  const started = Date.now();
  console.log(`\n━━ ${name} ━━`);
  try {
    await fn();
    stages.push({ name, ms: Date.now() - started, ok: true });
  } catch (error) {
    stages.push({ name, ms: Date.now() - started, ok: false });
    throw error;
  }
}

function summary() {
  console.log("\n━━ summary ━━");
  for (const s of stages) console.log(`${s.ok ? "ok  " : "FAIL"} ${s.name.padEnd(28)} ${(s.ms / 1000).toFixed(1)} s`);
  console.log(`database: ${process.env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : "PGlite"}`);
  const t = countTests();
  const failedStage = stages.some((s) => !s.ok) || stages.length === 0;
  console.log(`Tests: ${t.passed} passed, ${Math.max(t.failed, failedStage && t.failed === 0 ? 1 : 0)} failed, ${t.skipped} skipped`);
}

async function checksAndBuild(opts: { cwd: string }) {
  // Each is mostly one thread: side by side they take the time of the longer one.
  await stage("typecheck and lint", async () => {
    await Promise.all([run("npx", ["tsc", "--noEmit"], opts), run("npx", ["eslint", "--max-warnings=0", "."], opts)]);
  });
  await stage("unit tests", () => run("npx", vitest("unit", "unit.json"), opts));
  // One production build serves the integration test that starts the app as the demo does
  // (scripts/demo-app.int.test.ts) and the browser stage.
  await stage("production build", () => run("npx", ["next", "build"], { ...opts, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } }));
}

async function main() {
  const opts = { cwd: repoRoot };
  rmSync(reportDir, { recursive: true, force: true });
  mkdirSync(reportDir, { recursive: true });
  // The core takes a while to start: it starts while the checks and the build run.
  const corePromise = acquireTestCore("test");
  corePromise.catch(() => {});
  try {
    await checksAndBuild(opts);
  } catch (error) {
    await (await corePromise.catch(() => null))?.release();
    throw error;
  }
  const core = await corePromise;
  try {
    const env = { ...process.env, ...coreEnv(core) };
    await stage(`integration tests (${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () =>
      run("npx", vitest("integration", "integration.json"), { ...opts, env }),
    );
    if (process.env.DATABASE_URL) {
      // One schema, one set of migrations for both engines: the tests of code that writes SQL of
      // its own run on PGlite too (PGlite is PG 18). The rest only reach the database through the
      // same drizzle calls, and scripts/*.int.test.ts always run on PGlite already.
      const { DATABASE_URL: _unused, ...pgliteEnv } = env;
      await stage("integration tests (PGlite)", () => run("npx", [...vitest("integration", "integration-pglite.json"), ...PGLITE_ALSO], { ...opts, env: pgliteEnv }));
    }
    await stage("browser tests", () => run("npx", ["tsx", "scripts/e2e.ts"], { ...opts, env: { ...env, SKIP_BUILD: "1" } }));
  } finally {
    await core.release();
  }
  // Last, on the same build: the soak starts its own core (it kills it), its own PostgreSQL (it
  // restarts it) and two apps with two workers (scripts/soak.ts).
  await stage("soak (load and faults)", () =>
    run("npx", ["tsx", "scripts/soak.ts"], { ...opts, env: { ...process.env, SKIP_BUILD: "1", SOAK_REPORT: path.join(reportDir, "soak.json") } }),
  );
}

main()
  .then(() => summary())
  .catch((error) => {
    summary();
    console.error(`\n${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
