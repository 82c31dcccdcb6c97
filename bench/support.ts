/**
 * What every bench sets up the same way: the environment (a throwaway in-memory PGlite unless
 * DATABASE_URL names a PostgreSQL server), a throwaway Mailman core (scripts/lib/local-core.ts, or
 * the one named by MAILMAN_TEST_*), a superuser and a plain user, and a target with a domain of
 * its own. `runBench` tears it all down again; a bench that started a job worker stops it first.
 *
 * Only type imports of "@/..." at the top: lib/env reads the environment once, when first
 * imported, so the app's modules are imported after `prepareEnvironment`.
 */
import path from "node:path";
import type { Viewer } from "@/lib/auth/users";
import type { MailmanClient } from "@/lib/mailman";
import type { TargetSummary } from "@/lib/targets/targets";
import { acquireTestCore, type CoreHandle } from "../scripts/lib/core-env";
import { coreDir } from "../scripts/lib/local-core";
import { ensureLocalSecrets } from "../scripts/lib/local-secrets";

export interface BenchContext {
  core: CoreHandle;
  /** The core's mailman.cfg when this process started the core (its CLI works), else null. */
  coreConfig: string | null;
  /** Unique per run: user addresses, the domain and the target's name carry it. */
  tag: string;
  su: Viewer;
  owner: Viewer;
  domain: string;
  target: TargetSummary;
  /** The target's client, as the app builds it (shared per-core limiter, MAILMAN_CONCURRENCY). */
  client: MailmanClient;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** "PGlite (memory)" or "PostgreSQL (<db>)": which database the figures were taken on. */
export function databaseLabel(): string {
  const url = process.env.DATABASE_URL;
  if (!url) return `PGlite (${process.env.PGLITE_DIR})`;
  return `PostgreSQL (${new URL(url).pathname.replace(/^\//, "") || "default db"})`;
}

function prepareEnvironment() {
  process.env.PGLITE_DIR = process.env.DATABASE_URL ? process.env.PGLITE_DIR ?? "" : "memory";
  process.env.LOG_LEVEL = "warn";
  ensureLocalSecrets();
}

async function setUp(core: CoreHandle, coreConfig: string | null): Promise<BenchContext> {
  const { createUser, loadViewer } = await import("@/lib/auth/users");
  const { createTarget, clientForTarget } = await import("@/lib/targets/targets");
  const tag = Date.now().toString(36);
  const su = (await loadViewer((await createUser({ email: `bench-su-${tag}@example.test`, password: "bench password 1", superuser: true })).id))!;
  const owner = (await loadViewer((await createUser({ email: `bench-owner-${tag}@example.test`, password: "bench password 1" })).id))!;
  const domain = `bench-${tag}.example.test`;
  const target = await createTarget({ name: `bench ${tag}`, serverUrl: core.restUrl, adminUser: core.user, adminPassword: core.password, domain });
  const { client } = await clientForTarget(target.id);
  return { core, coreConfig, tag, su, owner, domain, target, client };
}

/**
 * Runs `bench` against a fresh core and database, then deletes the bench's domain, closes the
 * database and stops the core (if this process started it). Exits with 1 on any error.
 */
export function runBench(bench: (ctx: BenchContext) => Promise<void>, coreName = "bench"): void {
  const main = async () => {
    prepareEnvironment();
    const external = Boolean(process.env.MAILMAN_TEST_URL && process.env.MAILMAN_TEST_USER && process.env.MAILMAN_TEST_PASSWORD);
    const core = await acquireTestCore(coreName);
    try {
      const ctx = await setUp(core, external ? null : path.join(coreDir(coreName), "mailman.cfg"));
      await bench(ctx);
      const { closeDb } = await import("@/db/client");
      // A throwaway core is stopped anyway; a given one keeps the domain when its delete times out
      // (a 10,000-member list on a loaded machine): the figures printed above still stand.
      await ctx.client.deleteDomain(ctx.domain).catch((error: unknown) => console.warn(`The bench's domain ${ctx.domain} was not deleted: ${error instanceof Error ? error.message : String(error)}`));
      await closeDb();
    } finally {
      await core.release();
    }
  };
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

/** One core call with when it started and ended (performance.now() of this process). */
export interface TimedCall {
  method: string;
  path: string;
  status: number | "transport-error";
  start: number;
  end: number;
}

/**
 * Records every core call this process makes from now on, whatever async context it runs in (a
 * job worker's calls are not inside the caller's `withMailmanCallLog` scope). `stop()` ends it.
 */
export async function recordCoreCalls(): Promise<{ calls: TimedCall[]; stop: () => void }> {
  const { onMailmanCall } = await import("@/lib/mailman");
  const calls: TimedCall[] = [];
  const stop = onMailmanCall((c) => {
    const end = performance.now();
    calls.push({ method: c.method, path: c.path, status: c.status, start: end - c.ms, end });
  });
  return { calls, stop };
}

/** Time within [from, to] during which at most `atMost` of `spans` were in flight (0: none). */
export function timeInFlightAtMost(spans: readonly { start: number; end: number }[], atMost: number, from: number, to: number): number {
  const events: [number, number][] = [];
  for (const { start, end } of spans) {
    const a = Math.max(from, start);
    const b = Math.min(to, end);
    if (b > a) events.push([a, 1], [b, -1]);
  }
  events.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let inFlight = 0;
  let cursor = from;
  let total = 0;
  for (const [at, delta] of events) {
    if (inFlight <= atMost) total += at - cursor;
    cursor = at;
    inFlight += delta;
  }
  return total + (inFlight <= atMost ? Math.max(0, to - cursor) : 0);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The core's REST API 3.1 with plain fetch and Basic auth: no client, no limiter, no retries,
 * no schema checks. The floors of the benches are measured with this.
 */
export function rawCore(core: Pick<CoreHandle, "restUrl" | "user" | "password">) {
  const authorization = `Basic ${Buffer.from(`${core.user}:${core.password}`).toString("base64")}`;
  return async function request(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${core.restUrl}/3.1${path}`, {
      method,
      headers: { authorization, accept: "application/json", ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null };
  };
}
