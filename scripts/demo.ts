/**
 * `npm run demo`: a local Mailman core, the app on embedded PGlite (or DATABASE_URL) with a seeded
 * superuser, one Mailman server, one domain and two lists; prints where to sign in. Ctrl-C stops
 * the app and the core. Data lives under .data/ and survives restarts (delete .data/ to start over).
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensureMailmanInstalled, startLocalCore, stopLocalCore } from "./lib/local-core";
import { dataDir, ensureLocalSecrets, randomPassword, repoRoot } from "./lib/local-secrets";
import { buildDemoApp, startDemoApp, stopDemoApp } from "./lib/demo-app";
import { waitForHttp } from "./lib/run";

const PORT = Number(process.env.PORT ?? 3000);

function demoCredentials() {
  const file = path.join(dataDir, "demo-credentials.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as { adminPassword: string; memberPassword: string };
  const creds = { adminPassword: randomPassword(), memberPassword: randomPassword() };
  writeFileSync(file, JSON.stringify(creds, null, 2), { mode: 0o600 });
  return creds;
}

async function main() {
  const log = (line: string) => console.log(`[demo] ${line}`);
  log("Checking for Debian's mailman3…");
  await ensureMailmanInstalled();
  const secrets = ensureLocalSecrets(log);
  log("Starting a local Mailman core…");
  const core = await startLocalCore({ name: "demo" });
  log(`Mailman core REST API at ${core.restUrl}; outgoing mail is caught in ${path.relative(repoRoot, core.maildir)}`);

  const creds = demoCredentials();
  const { seed } = await import("./lib/seed");
  const { closeDb } = await import("@/db/client");
  // The core's credentials change on every fresh core: keep the stored target in step.
  const { listTargets, updateTarget } = await import("@/lib/targets/targets");
  const { findCredentialsByEmail } = await import("@/lib/auth/users");
  const existing = (await listTargets()).find((t) => t.name === "Local demo core");
  const admin = await findCredentialsByEmail("admin@demo.example");
  if (existing && admin) {
    await updateTarget({ ...existing, id: existing.id, serverUrl: core.restUrl, adminUser: core.user, adminPassword: core.password });
  }
  await seed({
    users: [
      { email: "admin@demo.example", password: creds.adminPassword, name: "Demo Admin", superuser: true },
      { email: "member@demo.example", password: creds.memberPassword, name: "Demo Member" },
    ],
    target: { name: "Local demo core", serverUrl: core.restUrl, adminUser: core.user, adminPassword: core.password, domain: "lists.demo.example" },
    lists: [
      { name: "announce", style: "legacy-announce", owner: "admin@demo.example", description: "Announcements (only owners post)", advertised: true, members: ["member@demo.example"] },
      { name: "discuss", owner: "admin@demo.example", description: "General discussion", advertised: true, members: ["member@demo.example", "guest@outside.example"] },
    ],
  });
  await closeDb();

  // A production build: `next dev` would print every action's arguments, passwords included.
  log("Building Listkeeper (a production build; SKIP_BUILD=1 reuses the last one)…");
  await buildDemoApp({ ...process.env, ...secrets });
  log(`Starting Listkeeper on http://localhost:${PORT} …`);
  const app = startDemoApp({
    port: PORT,
    env: {
      ...process.env,
      ...secrets,
      // Listkeeper's own mail (sign-up, password reset) is caught by the core's SMTP sink too.
      SMTP_URL: process.env.SMTP_URL ?? `smtp://${core.smtpHost}:${core.smtpPort}`,
      SIGNUP: process.env.SIGNUP ?? "open",
    },
  });
  // PostgreSQL: the job worker is a process of its own; PGlite: it runs inside the app (one process).
  const worker = process.env.DATABASE_URL
    ? spawn("npx", ["tsx", "scripts/worker.ts"], { cwd: repoRoot, stdio: "inherit", env: { ...process.env, ...secrets } })
    : null;
  const shutdown = async () => {
    stopDemoApp(app);
    worker?.kill("SIGTERM");
    await stopLocalCore("demo");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
  app.on("exit", () => void stopLocalCore("demo").then(() => process.exit(0)));

  await waitForHttp(`http://localhost:${PORT}/login`, 180_000);
  console.log(`
  ┌──────────────────────────────────────────────────────────────
  │ Listkeeper is running: http://localhost:${PORT}
  │ Superuser: admin@demo.example  password: ${creds.adminPassword}
  │ Member:    member@demo.example password: ${creds.memberPassword}
  │ (passwords are kept in .data/demo-credentials.json)
  │ Mailman core: ${core.restUrl}  ·  sent mail: ${path.relative(repoRoot, core.maildir)}
  │ Sign-up is open at http://localhost:${PORT}/signup; every mail (core's and Listkeeper's,
  │ verification links included) lands in ${path.relative(repoRoot, core.maildir)}/new —
  │ read the newest with: ls -t ${path.relative(repoRoot, core.maildir)}/new | head -1
  │ Ctrl-C stops the app and the core.
  └──────────────────────────────────────────────────────────────`);
}

main().catch(async (error) => {
  console.error(error instanceof Error ? error.message : error);
  await stopLocalCore("demo").catch(() => {});
  process.exit(1);
});
