import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./local-secrets";
import { run } from "./run";

/**
 * How `npm run demo` runs the app: a production build served by `next start`. `next dev` prints
 * every server action's arguments (the sign-in password, pasted address lists) to the terminal,
 * and compiles each page on its first visit. scripts/demo-app.int.test.ts starts the app through
 * these two functions and checks its output.
 */

/** `next build`, unless SKIP_BUILD=1 and a build exists. */
export async function buildDemoApp(env: NodeJS.ProcessEnv, stdio: StdioOptions = "inherit"): Promise<void> {
  if (env.SKIP_BUILD === "1" && existsSync(path.join(repoRoot, ".next", "BUILD_ID"))) return;
  await run("npx", ["next", "build"], { cwd: repoRoot, stdio, env: { ...env, NEXT_TELEMETRY_DISABLED: "1" } });
}

/** The production server on 127.0.0.1:port, in a process group of its own (stop it with stopDemoApp). */
export function startDemoApp(options: { port: number; env: NodeJS.ProcessEnv; stdio?: StdioOptions }): ChildProcess {
  return spawn("npx", ["next", "start", "-H", "127.0.0.1", "-p", String(options.port)], {
    cwd: repoRoot,
    stdio: options.stdio ?? "inherit",
    detached: true,
    env: { ...options.env, NODE_ENV: "production", AUTH_URL: `http://localhost:${options.port}`, NEXT_TELEMETRY_DISABLED: "1" },
  });
}

export function stopDemoApp(app: ChildProcess): void {
  if (!app.pid) return;
  try {
    process.kill(-app.pid, "SIGTERM");
  } catch {
    // already gone
  }
}
