/**
 * Vitest globalSetup of the integration project: one real Mailman core for the whole run.
 *
 * A core given by MAILMAN_TEST_URL / _USER / _PASSWORD (/ _MAILDIR) is reused as is (scripts such
 * as `npm test` start one and pass it down); otherwise a throwaway core `vitest-<pid>` is started
 * here and stopped and deleted on teardown. Test files read it through `inject()` (tests/support/core.ts);
 * the same values are also put into process.env, which Vitest 4 copies into the workers' environment
 * because it builds that environment after the global setups ran.
 */
import { rm } from "node:fs/promises";
import type { TestProject } from "vitest/node";
import {
  ensureMailmanInstalled,
  isProcessAlive,
  listLocalCores,
  startLocalCore,
  stopLocalCore,
  type LocalCore,
} from "../../scripts/lib/local-core";

declare module "vitest" {
  export interface ProvidedContext {
    mailmanUrl: string;
    mailmanUser: string;
    mailmanPassword: string;
    /** The SMTP sink's Maildir; empty when the core's outgoing mail is not reachable from here. */
    mailmanMaildir: string;
    /** smtp:// URL of the SMTP sink, for Listkeeper's own mail; empty when unknown. */
    mailmanSmtpUrl: string;
  }
}

/** Cores of earlier runs that were killed before their teardown (their vitest pid is gone). */
async function removeStaleCores(): Promise<void> {
  for (const { name, dir } of await listLocalCores()) {
    const owner = /^vitest-(\d+)$/.exec(name)?.[1];
    if (!owner || isProcessAlive(Number(owner))) continue;
    await stopLocalCore(dir);
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * With PostgreSQL, test files run in parallel on databases of their worker's own
 * (tests/support/worker-database.ts); this names the run and drops those databases at the end.
 */
async function prepareWorkerDatabases(): Promise<() => Promise<void>> {
  const base = process.env.DATABASE_URL;
  if (!base) return async () => {};
  const run = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  Object.assign(process.env, { LK_TEST_BASE_DATABASE_URL: base, LK_TEST_RUN_TAG: run });
  return async () => {
    const { default: pg } = await import("pg");
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string }>("select datname from pg_database where datname like $1", [`%\\_${run}\\_w%`]);
      for (const { datname } of rows) await admin.query(`drop database if exists "${datname}" with (force)`);
    } finally {
      await admin.end();
    }
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.MAILMAN_TEST_URL;
  let core: Pick<LocalCore, "restUrl" | "user" | "password" | "maildir">;
  let smtpUrl = process.env.MAILMAN_TEST_SMTP_URL ?? "";
  let owned: LocalCore | undefined;
  if (given) {
    const { MAILMAN_TEST_USER: user, MAILMAN_TEST_PASSWORD: password } = process.env;
    if (!user || !password) throw new Error("MAILMAN_TEST_URL is set, so MAILMAN_TEST_USER and MAILMAN_TEST_PASSWORD must be too.");
    core = { restUrl: given, user, password, maildir: process.env.MAILMAN_TEST_MAILDIR ?? "" };
  } else {
    await ensureMailmanInstalled();
    await removeStaleCores();
    owned = await startLocalCore({ name: `vitest-${process.pid}` });
    core = owned;
    smtpUrl = `smtp://${owned.smtpHost}:${owned.smtpPort}`;
    Object.assign(process.env, {
      MAILMAN_TEST_SMTP_URL: smtpUrl,
      MAILMAN_TEST_URL: core.restUrl,
      MAILMAN_TEST_USER: core.user,
      MAILMAN_TEST_PASSWORD: core.password,
      MAILMAN_TEST_MAILDIR: core.maildir,
    });
  }

  project.provide("mailmanUrl", core.restUrl);
  project.provide("mailmanUser", core.user);
  project.provide("mailmanPassword", core.password);
  project.provide("mailmanMaildir", core.maildir);
  project.provide("mailmanSmtpUrl", smtpUrl);
  // Listkeeper's own mail goes to the same sink, unless the run names another server.
  if (smtpUrl && !process.env.SMTP_URL) process.env.SMTP_URL = smtpUrl;

  const dropWorkerDatabases = await prepareWorkerDatabases();
  if (!owned) return dropWorkerDatabases;
  const started = owned;
  // Teardown does not run when Vitest is killed; a synchronous last resort keeps the core from
  // outliving the run (the next run also sweeps such leftovers, see removeStaleCores).
  const onExit = () => {
    for (const pid of [started.pid, started.sinkPid]) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  };
  process.once("exit", onExit);
  return async () => {
    await dropWorkerDatabases();
    process.off("exit", onExit);
    await stopLocalCore(started.dir);
    await rm(started.dir, { recursive: true, force: true });
    for (const key of ["MAILMAN_TEST_URL", "MAILMAN_TEST_USER", "MAILMAN_TEST_PASSWORD", "MAILMAN_TEST_MAILDIR", "MAILMAN_TEST_SMTP_URL"]) delete process.env[key];
  };
}
