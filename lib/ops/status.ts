import { readFile } from "node:fs/promises";
import path from "node:path";
import { desc, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { jobWorkers } from "@/db/schema";
import { env } from "@/lib/env";
import { HEARTBEAT_INTERVAL_MS } from "@/lib/jobs/heartbeat";
import { JOB_KINDS } from "@/lib/jobs/kinds";
import { serverProblem } from "@/lib/targets/server-problem";
import { clientForTarget, listTargets } from "@/lib/targets/targets";
import packageJson from "@/package.json";
import { checkReadiness, type Readiness } from "./health";

/**
 * What the superusers' status page (/admin/status) shows: this build, the database, the job
 * workers and how much work waits, and each Mailman server's version. Unlike /api/ready, which
 * anyone may call, this is behind the superuser guard and may name versions and hosts.
 */

/** A worker is alive while its last heartbeat is younger than three beats. */
export const WORKER_STALE_AFTER_MS = 3 * HEARTBEAT_INTERVAL_MS;
/** Stopped or dead workers stay listed this long, so a crash is visible after the fact. */
const RECENT_WORKER_MS = 24 * 3600_000;

export interface WorkerRow {
  id: string;
  hostname: string;
  pid: string;
  placement: string;
  startedAt: Date;
  lastSeenAt: Date;
  stoppedAt: Date | null;
}

export type WorkerState = "alive" | "stopped" | "not responding";

export interface WorkerView extends WorkerRow {
  state: WorkerState;
}

/** Alive, stopped cleanly, or gone silent (killed, or its machine lost): newest first, alive on top. */
export function classifyWorkers(rows: readonly WorkerRow[], now: Date): WorkerView[] {
  const order: Record<WorkerState, number> = { alive: 0, "not responding": 1, stopped: 2 };
  return rows
    .filter((w) => now.getTime() - w.lastSeenAt.getTime() <= RECENT_WORKER_MS)
    .map((w): WorkerView => ({ ...w, state: w.stoppedAt ? "stopped" : now.getTime() - w.lastSeenAt.getTime() <= WORKER_STALE_AFTER_MS ? "alive" : "not responding" }))
    .sort((a, b) => order[a.state] - order[b.state] || b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
}

export interface ServerStatus {
  id: number;
  name: string;
  mailmanVersion: string | null;
  apiVersion: string | null;
  problem: string | null;
}

export interface SiteStatus {
  app: { version: string; buildId: string | null; node: string; startedAt: Date };
  database: { engine: "PostgreSQL" | "PGlite"; serverVersion: string | null; latencyMs: number | null; readiness: Readiness };
  workers: WorkerView[];
  queue: { kind: string; unfinished: number }[];
  servers: ServerStatus[];
}

const processStartedAt = new Date(Date.now() - process.uptime() * 1000);

async function buildId(): Promise<string | null> {
  try {
    return (await readFile(path.join(process.cwd(), ".next", "BUILD_ID"), "utf8")).trim();
  } catch {
    return null;
  }
}

async function databaseFacts(): Promise<{ serverVersion: string | null; latencyMs: number | null }> {
  try {
    const db = await getDb();
    const started = performance.now();
    const result = await db.execute(sql`select current_setting('server_version') as version`);
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    const rows = (Array.isArray(result) ? result : (result as { rows: { version: string }[] }).rows) as { version: string }[];
    return { serverVersion: rows[0]?.version ?? null, latencyMs };
  } catch {
    return { serverVersion: null, latencyMs: null };
  }
}

async function serverStatus(timeoutMs: number): Promise<ServerStatus[]> {
  const targets = await listTargets();
  return Promise.all(
    targets.map(async (t): Promise<ServerStatus> => {
      try {
        const { client } = await clientForTarget(t.id);
        const versions = await Promise.race([
          client.versions(),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`No answer within ${timeoutMs / 1000} s.`)), timeoutMs).unref()),
        ]);
        return { id: t.id, name: t.name, mailmanVersion: versions.mailman_version, apiVersion: versions.api_version, problem: null };
      } catch (error) {
        return { id: t.id, name: t.name, mailmanVersion: null, apiVersion: null, problem: serverProblem(error) ?? (error instanceof Error ? error.message : "The server did not answer.") };
      }
    }),
  );
}

export async function siteStatus(options: { serverTimeoutMs?: number } = {}): Promise<SiteStatus> {
  const db = await getDb();
  const [readiness, facts, workerRows, queue, servers, build] = await Promise.all([
    checkReadiness(),
    databaseFacts(),
    db.select().from(jobWorkers).orderBy(desc(jobWorkers.lastSeenAt)).limit(50),
    Promise.all(JOB_KINDS.map(async (k) => ({ kind: k.name, unfinished: await k.unfinished() }))),
    serverStatus(options.serverTimeoutMs ?? 3_000),
    buildId(),
  ]);
  return {
    app: { version: packageJson.version, buildId: build, node: process.version, startedAt: processStartedAt },
    database: { engine: env.DATABASE_URL ? "PostgreSQL" : "PGlite", ...facts, readiness },
    workers: classifyWorkers(workerRows, new Date()),
    queue,
    servers,
  };
}
