/**
 * `npm run start:all`: the production app and its job worker on one machine, after `npm run build`.
 *
 *   tsx scripts/start-all.ts [--port 3000] [--apps 1] [--workers 1]
 *
 * With DATABASE_URL (PostgreSQL) it starts `--apps` Next.js servers on consecutive ports and
 * `--workers` job workers; with PGlite (one process only) one app, which runs the worker itself.
 * SIGTERM/SIGINT are passed on, so workers release their jobs; if any process dies, the others
 * are stopped and this exits non-zero, for systemd or a supervisor to restart the whole set.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

function count(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 32) throw new Error(`--${name} must be a whole number from 1 to 32.`);
  return n;
}

function main() {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: process.env.PORT ?? "3000" },
      apps: { type: "string", default: "1" },
      workers: { type: "string", default: "1" },
      host: { type: "string", default: "127.0.0.1" },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_000) throw new Error("--port must be a port number.");
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("No production build: run `npm run build` first.");
  const postgres = Boolean(process.env.DATABASE_URL);
  const apps = postgres ? count(values.apps, "apps") : 1;
  const workers = postgres ? count(values.workers, "workers") : 0;
  if (!postgres && (values.apps !== "1" || values.workers !== "1")) {
    console.warn("PGlite allows one process: starting one app, which runs the job worker itself. Set DATABASE_URL for more.");
  }

  const children: { name: string; child: ChildProcess }[] = [];
  const next = path.join(root, "node_modules", ".bin", "next");
  const tsx = path.join(root, "node_modules", ".bin", "tsx");
  for (let i = 0; i < apps; i++) {
    const p = String(port + i);
    children.push({ name: `app:${p}`, child: spawn(next, ["start", "-H", values.host, "-p", p], { cwd: root, stdio: "inherit", env: process.env }) });
  }
  for (let i = 0; i < workers; i++) {
    children.push({ name: `worker:${i + 1}`, child: spawn(tsx, ["scripts/worker.ts"], { cwd: root, stdio: "inherit", env: process.env }) });
  }
  console.log(`started ${children.map((c) => c.name).join(", ")}`);

  let stopping = false;
  let exitCode = 0;
  const stopAll = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const { child } of children) if (child.exitCode === null) child.kill(signal);
  };
  for (const { name, child } of children) {
    child.on("exit", (code, signal) => {
      if (!stopping) {
        console.error(`${name} ended (${signal ?? `code ${code}`}): stopping the others`);
        exitCode = 1;
        stopAll("SIGTERM");
      }
      if (children.every((c) => c.child.exitCode !== null || c.child.signalCode !== null)) process.exit(exitCode);
    });
  }
  process.on("SIGTERM", () => stopAll("SIGTERM"));
  process.on("SIGINT", () => stopAll("SIGINT"));
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
