/**
 * Browser tests against a production build: a real Mailman core, a real database (PGlite in a
 * fresh directory, or DATABASE_URL), seeded users, `next start`, and Playwright driving Debian's
 * Chromium. Extra arguments go to `playwright test`. SKIP_BUILD=1 reuses an existing build.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { ensureChromium } from "./lib/chromium";
import { acquireTestCore, coreEnv } from "./lib/core-env";
import { dataDir, ensureLocalSecrets, randomPassword, repoRoot } from "./lib/local-secrets";
import { freePort, run, waitForHttp } from "./lib/run";

async function main() {
  await ensureChromium();
  const core = await acquireTestCore("e2e");
  let server: ChildProcess | undefined;
  let e2eDatabase: { adminUrl: string; name: string } | undefined;
  try {
    const secrets = ensureLocalSecrets();
    const dbEnv: Record<string, string> = {};
    if (!process.env.DATABASE_URL) {
      const dir = path.join(dataDir, "e2e-pglite");
      rmSync(dir, { recursive: true, force: true });
      dbEnv.PGLITE_DIR = dir;
      process.env.PGLITE_DIR = dir;
    } else {
      // A fresh database on the same server, as PGlite gets a fresh directory: the integration
      // stage leaves servers, people and jobs behind (encrypted with the tests' own key).
      const url = new URL(process.env.DATABASE_URL);
      const name = `${url.pathname.slice(1) || "listkeeper"}_e2e_${Date.now().toString(36)}`.replace(/[^a-z0-9_]/gi, "_");
      const { Client } = await import("pg");
      const admin = new Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`create database "${name}"`);
      await admin.end();
      url.pathname = `/${name}`;
      e2eDatabase = { adminUrl: process.env.DATABASE_URL, name };
      dbEnv.DATABASE_URL = url.toString();
      process.env.DATABASE_URL = url.toString();
    }
    const run_id = Date.now().toString(36);
    const people = {
      E2E_ADMIN_EMAIL: `admin-${run_id}@people.e2e.test`,
      E2E_ADMIN_PASSWORD: randomPassword(),
      E2E_OWNER_EMAIL: `owner-${run_id}@people.e2e.test`,
      E2E_OWNER_PASSWORD: randomPassword(),
      E2E_MEMBER_EMAIL: `member-${run_id}@people.e2e.test`,
      E2E_MEMBER_PASSWORD: randomPassword(),
      // Moderator (only) of "owned"; owner of "owned-b" only (e2e/access-matrix.spec.ts).
      E2E_MODERATOR_EMAIL: `moderator-${run_id}@people.e2e.test`,
      E2E_MODERATOR_PASSWORD: randomPassword(),
      E2E_OWNER_B_EMAIL: `owner-b-${run_id}@people.e2e.test`,
      E2E_OWNER_B_PASSWORD: randomPassword(),
      E2E_DOMAIN: `seed-${run_id}.e2e.test`,
      E2E_TARGET_NAME: `Seeded core ${run_id}`,
    };
    const { seed } = await import("./lib/seed");
    const { closeDb } = await import("@/db/client");
    const { targetId } = await seed({
      users: [
        { email: people.E2E_ADMIN_EMAIL, password: people.E2E_ADMIN_PASSWORD, name: "E2E Admin", superuser: true },
        { email: people.E2E_OWNER_EMAIL, password: people.E2E_OWNER_PASSWORD, name: "E2E Owner" },
        { email: people.E2E_MEMBER_EMAIL, password: people.E2E_MEMBER_PASSWORD, name: "E2E Member" },
        { email: people.E2E_MODERATOR_EMAIL, password: people.E2E_MODERATOR_PASSWORD, name: "E2E Moderator" },
        { email: people.E2E_OWNER_B_EMAIL, password: people.E2E_OWNER_B_PASSWORD, name: "E2E Owner B" },
      ],
      target: { name: people.E2E_TARGET_NAME, serverUrl: core.restUrl, adminUser: core.user, adminPassword: core.password, domain: people.E2E_DOMAIN },
      lists: [
        { name: "owned", owner: people.E2E_OWNER_EMAIL, description: "Owned by the e2e owner", advertised: true, members: [people.E2E_MEMBER_EMAIL], moderators: [people.E2E_MODERATOR_EMAIL] },
        { name: "owned-b", owner: people.E2E_OWNER_B_EMAIL, description: "Owned by the second e2e owner", advertised: true },
        { name: "other", owner: people.E2E_ADMIN_EMAIL, description: "Owned by someone else", advertised: true, members: [people.E2E_MEMBER_EMAIL] },
        { name: "hidden", owner: people.E2E_ADMIN_EMAIL, description: "Unadvertised, no e2e members", advertised: false },
      ],
    });
    // PGlite admits one process: release it before the server opens it.
    await closeDb();

    if (process.env.SKIP_BUILD !== "1" || !existsSync(path.join(repoRoot, ".next", "BUILD_ID"))) {
      await run("npx", ["next", "build"], { cwd: repoRoot, env: { ...process.env, ...dbEnv, NEXT_TELEMETRY_DISABLED: "1" } });
    }
    const port = await freePort();
    // Next rewrites 127.0.0.1 to localhost in request URLs, so the public origin is localhost.
    const origin = `http://localhost:${port}`;
    const serverEnv = {
      ...process.env,
      ...dbEnv,
      ...secrets,
      AUTH_URL: origin,
      NODE_ENV: "production" as const,
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      // The browser tests stand in for a reverse proxy on this machine (e2e/security-headers.spec.ts).
      TRUSTED_PROXIES: "127.0.0.1, ::1",
      // Listkeeper's own mail (sign-up, reset) goes to the core's SMTP sink, where specs read it.
      SMTP_URL: process.env.SMTP_URL ?? core.smtpUrl,
      SIGNUP: process.env.SIGNUP ?? "open",
    };
    // The production launcher (npm run start:all): with PostgreSQL one app and one job worker in
    // its own process, as deployed; with PGlite one app that runs the worker itself.
    server = spawn("npx", ["tsx", "scripts/start-all.ts", "--port", String(port)], { cwd: repoRoot, env: serverEnv, stdio: ["ignore", "inherit", "inherit"], detached: true });
    await waitForHttp(`${origin}/login`, 180_000);
    await run("npx", ["playwright", "test", ...process.argv.slice(2)], {
      cwd: repoRoot,
      env: { ...process.env, ...people, ...coreEnv(core), E2E_BASE_URL: origin, E2E_TARGET_ID: String(targetId) },
    });
  } finally {
    for (const child of [server]) {
      if (!child?.pid) continue;
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    await core.release();
    if (e2eDatabase) {
      const { closeDb } = await import("@/db/client");
      await closeDb().catch(() => undefined);
      const { Client } = await import("pg");
      const admin = new Client({ connectionString: e2eDatabase.adminUrl });
      await admin.connect();
      await admin.query(`drop database if exists "${e2eDatabase.name}" with (force)`).catch(() => undefined);
      await admin.end();
    }
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
