/**
 * `npm run test:soak`: load and faults against the production build (issue 12, part 3).
 *
 * Everything it needs is its own: a private PostgreSQL cluster (scripts/lib/private-postgres.ts,
 * so that it can be restarted), a Mailman core it starts and may kill (scripts/lib/local-core.ts),
 * two `next start` behind a round-robin TCP proxy and two job workers, started as
 * `npm run start:all -- --apps 2 --workers 2` starts them but each on its own, since start:all
 * stops the whole set when one process dies and the soak kills a worker on purpose.
 *
 *   1. Load: 50 list owners and 200 members (signed-in sessions) for 60 s, a realistic mix with a
 *      mass subscribe running, then the same mix with 10 users; p50/p95 per page side by side.
 *      Any 5xx, timeout, error page or failed action fails the run.
 *   2. Faults, each of which must recover by itself with nothing lost or doubled, the user seeing
 *      a plain message meanwhile: the core SIGKILLed during a mass subscribe and during a
 *      provisioning run; PostgreSQL restarted under load; a worker SIGKILLed while it holds a
 *      job's lease; the template endpoint down while the core fetches a template.
 *
 * SKIP_BUILD=1 (as `npm test` sets it) reuses the build; without a build it builds first.
 * --seconds N, --users ADMINS,MEMBERS and --think MIN,MAX (seconds between one answer and a
 * user's next request) change the full load (default 60, 50,200 and 20,60).
 * Exits non-zero on any failed check; prints its figures either way.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { killLocalCore, restartLocalCore, startLocalCore, stopLocalCore, ensureMailmanInstalled, waitForMail, type LocalCore } from "./lib/local-core";
import { CHROMIUM, ensureChromium } from "./lib/chromium";
import { dataDir, ensureLocalSecrets, repoRoot } from "./lib/local-secrets";
import { startPrivatePostgres, type PrivatePostgres } from "./lib/private-postgres";
import { freePort, run, waitForHttp } from "./lib/run";
import { actionCheck, actionStep, pageCheck, quantile, runLoad, sendOnce, type LoadResult, type Step, type VirtualUser } from "./lib/soak/load";
import { startTcpProxy, type TcpProxy } from "./lib/soak/tcp-proxy";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    users: { type: "string", default: "50,200" },
    think: { type: "string", default: "20,60" },
  },
});
const FULL_SECONDS = Number(args.seconds);
const [ADMINS, MEMBERS] = args.users.split(",").map(Number) as [number, number];
const SMALL_SECONDS = 20;
/**
 * A person reads a page before the next click (--think): 20 to 60 s at full load (a roster or a settings
 * form is read, not skimmed), ~6 requests a second from 250 users. With 1 to 5 s (~80 a second)
 * and with 10 to 30 s (~12 a second) a 2-core machine busy with other work answered ~3 a second
 * and requests waited over 30 s.
 */
const THINK_MS = args.think.split(",").map((x) => Number(x) * 1000) as unknown as readonly [number, number];
/** The 10-user run thinks 1 to 3 s: fewer users, each busier, for enough samples in 20 s. */
const SMALL_THINK_MS = [1_000, 3_000] as const;
const TIMEOUT_MS = 30_000;
const LOAD_LISTS = 10;
const CORE_NAME = "soak";
const logDir = path.join(dataDir, "soak");

const started = performance.now();
const since = () => `${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s`;
const log = (line: string) => console.log(`[soak ${since()}] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const failures: string[] = [];
let passed = 0;
function check(ok: boolean, what: string) {
  if (!ok) failures.push(what);
  else passed++;
  log(`${ok ? "ok  " : "FAIL"} ${what}`);
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

/** The id under which the build registered a server action (what the browser sends in Next-Action). */
function actionIds(): (file: string, name: string) => string {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, ".next", "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  return (file, name) => {
    const found = Object.entries(manifest.node).find(([, v]) => v.filename === file && v.exportedName === name);
    if (!found) throw new Error(`No server action ${name} in ${file} in this build.`);
    return found[0];
  };
}

interface Processes {
  apps: ChildProcess[];
  workers: ChildProcess[];
  appPorts: number[];
  startWorker(): ChildProcess;
  stopAll(): void;
}

function startProcesses(env: NodeJS.ProcessEnv, appPorts: number[]): Processes {
  const next = path.join(repoRoot, "node_modules", ".bin", "next");
  const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");
  const out = (name: string) => createWriteStream(path.join(logDir, `${name}.log`), { flags: "a" });
  const spawnLogged = (name: string, file: string, argv: string[]) => {
    const child = spawn(file, argv, { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const stream = out(name);
    child.stdout!.pipe(stream);
    child.stderr!.pipe(stream);
    child.on("exit", (code, signal) => stream.write(`\n[soak] ${name} exited (${signal ?? `code ${code}`})\n`));
    return child;
  };
  let workerCount = 0;
  const apps = appPorts.map((port) => spawnLogged(`app-${port}`, next, ["start", "-H", "127.0.0.1", "-p", String(port)]));
  const procs: Processes = {
    apps,
    workers: [],
    appPorts,
    startWorker() {
      const child = spawnLogged(`worker-${++workerCount}`, tsx, ["scripts/worker.ts"]);
      procs.workers.push(child);
      return child;
    },
    stopAll() {
      for (const child of [...procs.apps, ...procs.workers]) {
        if (child.exitCode !== null || child.signalCode !== null || !child.pid) continue;
        try {
          process.kill(-child.pid, "SIGTERM");
        } catch {
          // gone
        }
      }
    },
  };
  procs.startWorker();
  procs.startWorker();
  return procs;
}

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

interface Figures {
  load: { label: string; users: number; think: readonly [number, number]; result: LoadResult }[];
  faults: { name: string; outage: string; recovered: string; seen: string }[];
}

function printFigures(f: Figures) {
  console.log("\n━━ soak figures ━━");
  const pages = [...new Set(f.load.flatMap((l) => [...l.result.byPage.keys()]))].sort();
  const header = ["page".padEnd(26), ...f.load.map((l) => `${l.label} p50 / p95 (n)`.padStart(30))].join(" ");
  console.log(header);
  for (const page of pages) {
    const cells = f.load.map((l) => {
      const xs = l.result.byPage.get(page) ?? [];
      return xs.length ? `${quantile(xs, 0.5).toFixed(0)} / ${quantile(xs, 0.95).toFixed(0)} ms (${xs.length})`.padStart(30) : "—".padStart(30);
    });
    console.log([page.padEnd(26), ...cells].join(" "));
  }
  for (const l of f.load) {
    console.log(`${l.label}: ${l.users} users thinking ${l.think[0] / 1000}–${l.think[1] / 1000} s, ${l.result.requests} requests in ${l.result.seconds.toFixed(0)} s (${(l.result.requests / l.result.seconds).toFixed(1)}/s), ${l.result.errors.length} errors`);
  }
  if (f.faults.length) {
    console.log("\nfault".padEnd(48) + "outage".padEnd(12) + "recovered".padEnd(36) + "what a user saw meanwhile");
    for (const x of f.faults) console.log(`${x.name.padEnd(47)}${x.outage.padEnd(12)}${x.recovered.padEnd(36)}${x.seen}`);
  }
}

async function main() {
  mkdirSync(logDir, { recursive: true });
  const figures: Figures = { load: [], faults: [] };
  let pg: PrivatePostgres | undefined;
  let core: LocalCore | undefined;
  let procs: Processes | undefined;
  const proxies: TcpProxy[] = [];
  // Should this process die unexpectedly, nothing it started may outlive it.
  const emergencyStop = (why: unknown) => {
    console.error(`soak: stopping everything it started (${why instanceof Error ? why.stack : String(why)})`);
    procs?.stopAll();
    try {
      if (core?.pid) process.kill(-core.pid, "SIGKILL");
      if (core?.sinkPid) process.kill(-core.sinkPid, "SIGKILL");
    } catch {
      // gone
    }
    pg?.stopSync();
    process.exit(1);
  };
  process.once("uncaughtException", emergencyStop);
  process.once("SIGINT", emergencyStop);
  process.once("SIGTERM", emergencyStop);
  try {
    // ── set-up: database, core and build side by side ──────────────────────────────────────
    const build =
      process.env.SKIP_BUILD === "1" && existsSync(path.join(repoRoot, ".next", "BUILD_ID"))
        ? Promise.resolve()
        : run("npx", ["next", "build"], { cwd: repoRoot, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    const [pgStarted, coreStarted] = await Promise.all([
      startPrivatePostgres("listkeeper_soak"),
      ensureMailmanInstalled().then(() => startLocalCore({ name: CORE_NAME })),
      build,
    ]);
    pg = pgStarted;
    core = coreStarted;
    log(`private PostgreSQL on port ${pg.port}, core at ${core.restUrl}`);
    process.env.DATABASE_URL = pg.url;
    process.env.LOG_LEVEL = "warn";
    const secrets = ensureLocalSecrets();

    // ── seed with the project's own seed code ──────────────────────────────────────────────
    const tag = Date.now().toString(36);
    const domain = `soak-${tag}.test`;
    const admins = Array.from({ length: ADMINS }, (_, i) => `admin${i}-${tag}@soak.test`);
    const members = Array.from({ length: MEMBERS }, (_, i) => `member${i}-${tag}@soak.test`);
    const superuser = `su-${tag}@soak.test`;
    const loadList = (i: number) => `load-${i}`;
    const { seed } = await import("./lib/seed");
    const { targetId } = await seed({
      users: [
        { email: superuser, name: "Soak Superuser", superuser: true },
        ...admins.map((email, i) => ({ email, name: `Soak Admin ${i}` })),
        ...members.map((email, i) => ({ email, name: `Soak Member ${i}` })),
      ],
      target: { name: `soak ${tag}`, serverUrl: core.restUrl, adminUser: core.user, adminPassword: core.password, domain },
      lists: [
        ...Array.from({ length: LOAD_LISTS }, (_, i) => ({
          name: loadList(i),
          owner: admins[i]!,
          owners: admins.filter((_, a) => a % LOAD_LISTS === i),
          description: `Soak list ${i}`,
          advertised: true,
          members: members.filter((_, m) => m % LOAD_LISTS === i),
        })),
        ...["mass", "fault-core", "fault-worker", "fault-pg", "fault-template"].map((name) => ({ name, owner: admins[0]!, description: `Soak ${name}`, advertised: true })),
      ],
    });
    const listId = (name: string) => `${name}.${domain}`;
    log(`seeded ${1 + ADMINS + MEMBERS} accounts and ${LOAD_LISTS + 5} lists`);

    // Sessions as next-auth writes them after a password sign-in (the account id only): 250
    // argon2id sign-ins would cost a minute of this machine's two cores before the first request.
    const { findCredentialsByEmail, loadViewer } = await import("@/lib/auth/users");
    const { encode } = await import("next-auth/jwt");
    const cookieName = "authjs.session-token";
    const ids = new Map<string, string>();
    for (const email of [superuser, ...admins, ...members]) ids.set(email, (await findCredentialsByEmail(email))!.id);
    const cookieOf = async (email: string) => {
      const uid = ids.get(email)!;
      return `${cookieName}=${await encode({ token: { uid, sub: uid }, secret: secrets.AUTH_SECRET, salt: cookieName, maxAge: 3600 })}`;
    };

    // ── the production set ─────────────────────────────────────────────────────────────────
    const appPorts = [await freePort(), await freePort()];
    const front = await startTcpProxy(appPorts);
    const templateGate = await startTcpProxy(appPorts);
    proxies.push(front, templateGate);
    const host = `localhost:${front.port}`;
    const origin = `http://${host}`;
    const appEnv: NodeJS.ProcessEnv = {
      ...process.env,
      ...secrets,
      DATABASE_URL: pg.url,
      AUTH_URL: origin,
      // The core reaches the template endpoint through a gate the soak can close.
      TEMPLATE_BASE_URL: templateGate.url,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: "warn",
      SMTP_URL: `smtp://${core.smtpHost}:${core.smtpPort}`,
    };
    procs = startProcesses(appEnv, appPorts);
    await Promise.all(appPorts.map((p) => waitForHttp(`http://127.0.0.1:${p}/api/ready`, 120_000)));
    {
      const { getDb } = await import("@/db/client");
      const { sql } = await import("drizzle-orm");
      const beating = await waitFor("both workers beating", 120_000, async () => {
        const rows = (await (await getDb()).execute(sql`select count(*)::int as n from job_workers where stopped_at is null and last_seen_at > now() - interval '10 seconds'`)) as unknown as { rows: { n: number }[] };
        return rows.rows[0]!.n >= 2 ? rows.rows[0]!.n : null;
      }).catch(() => 0);
      check(beating >= 2 && procs.workers.every(alive), `both workers started side by side and run (${beating} beating)`);
    }
    log(`2 apps (ports ${appPorts.join(", ")}) behind ${origin}, 2 workers`);

    const action = actionIds();
    const ids_ = {
      saveSettings: action("app/lists/[targetId]/[listId]/settings/actions.ts", "saveSettingsAction"),
      myLists: action("app/me/actions.ts", "myListsAction"),
      subscribe: action("app/me/actions.ts", "subscribeAction"),
      unsubscribe: action("app/me/actions.ts", "unsubscribeAction"),
    };

    // ── the mix ────────────────────────────────────────────────────────────────────────────
    const pick = <T>(weighted: readonly [number, T][]): T => {
      let r = Math.random() * weighted.reduce((a, [w]) => a + w, 0);
      for (const [w, v] of weighted) if ((r -= w) < 0) return v;
      return weighted[weighted.length - 1]![1];
    };
    const adminUser = async (i: number): Promise<VirtualUser> => {
      const email = admins[i]!;
      const list = listId(loadList(i % LOAD_LISTS));
      const base = `/lists/${targetId}/${encodeURIComponent(list)}`;
      let saves = 0;
      return {
        name: email,
        cookie: await cookieOf(email),
        next: () =>
          pick<() => Step>([
            [2, () => ({ page: "list index", method: "GET", path: "/lists", check: pageCheck(loadList(i % LOAD_LISTS)) })],
            [3, () => ({ page: "roster (members)", method: "GET", path: `${base}/members`, check: pageCheck(new RegExp(`member\\d+-${tag}@soak\\.test`)) })],
            [2, () => ({ page: "settings page", method: "GET", path: `${base}/settings/identity`, check: pageCheck("Soak") })],
            [1, () => ({ page: "list summary", method: "GET", path: base, check: pageCheck(`Soak`) })],
            [
              1,
              () =>
                actionStep("settings save (action)", `${base}/settings/identity`, ids_.saveSettings, origin, {
                  targetId,
                  listId: list,
                  section: "identity",
                  etag: "",
                  original: { description: "" },
                  values: { description: `Soak list ${i % LOAD_LISTS}, saved by admin ${i} (${++saves})` },
                  overwrite: true,
                }, actionCheck),
            ],
          ])(),
      };
    };
    const memberUser = async (j: number): Promise<VirtualUser> => {
      const email = members[j]!;
      // Each member toggles a list they are not seeded on.
      const toggleList = listId(loadList((j + LOAD_LISTS / 2) % LOAD_LISTS));
      let memberId: string | null = null;
      let subscribed = false;
      const user: VirtualUser = {
        name: email,
        cookie: await cookieOf(email),
        next: () =>
          pick<() => Step>([
            [3, () => ({ page: "My lists", method: "GET", path: "/me", check: pageCheck(loadList(j % LOAD_LISTS)) })],
            [1, () => ({ page: "list index", method: "GET", path: "/lists", check: pageCheck(loadList(0)) })],
            [
              2,
              () =>
                subscribed && memberId
                  ? actionStep("unsubscribe (action)", "/me", ids_.unsubscribe, origin, { targetId, listId: toggleList, memberId }, actionCheck)
                  : subscribed
                    ? actionStep("My lists data (action)", "/me", ids_.myLists, origin, {}, actionCheck)
                    : actionStep("subscribe (action)", "/me", ids_.subscribe, origin, { targetId, listId: toggleList, address: "primary" }, actionCheck),
            ],
          ])(),
        seen(step, status, body) {
          if (status !== 200) return;
          if (step.page === "subscribe (action)" && body.includes('"subscribed"')) subscribed = true;
          if (step.page === "unsubscribe (action)" && body.includes('"not_subscribed"')) {
            subscribed = false;
            memberId = null;
          }
          if (step.page === "My lists data (action)") {
            // The toggle's membership id, as the page's data carries it.
            const at = body.indexOf(toggleList);
            const m = at >= 0 ? /"memberId":"([0-9a-f]{32})"/.exec(body.slice(at, at + 2_000)) : null;
            memberId = m ? m[1]! : null;
          }
        },
      };
      return user;
    };

    const { authorizeList } = await import("@/lib/auth/list-access");
    const { massSubscribeStartSchema } = await import("@/lib/members/mass-input");
    const { startMassSubscribe } = await import("@/lib/members/mass-operations");
    const { getBulkJob, jobProgress, allReportRows } = await import("@/lib/members/bulk-store");
    const { MailmanClient } = await import("@/lib/mailman");
    const direct = new MailmanClient({ baseUrl: core.restUrl, user: core.user, password: core.password, timeoutMs: 60_000 });
    const owner = (await loadViewer(ids.get(admins[0]!)!))!;
    const massSubscribe = async (list: string, count: number) => {
      const addresses = Array.from({ length: count }, (_, i) => `${list.split(".")[0]}-${String(i).padStart(4, "0")}-${tag}@addresses.soak.test`);
      const access = await authorizeList(owner, targetId, list, "administer");
      const { jobId } = await startMassSubscribe(
        access,
        massSubscribeStartSchema.parse({ targetId, listId: list, format: "text", input: addresses.join("\n"), options: {}, consent: true }),
      );
      return { jobId, addresses };
    };
    /** The job finished, every address subscribed exactly once (the roster read back over REST), the report exact. */
    const checkMassSubscribe = async (label: string, list: string, job: { jobId: number; addresses: string[] }, timeoutMs: number) => {
      const done = await waitFor(`${label}: the job finishing`, timeoutMs, async () => {
        const j = await getBulkJob(job.jobId);
        return j && ["done", "failed", "cancelled"].includes(j.status) ? j : null;
      }).catch(() => null);
      check(done?.status === "done", `${label}: the mass subscribe job finished (${done?.status ?? "still running"})`);
      const roster = (await direct.fullRoster(list, "member", ["email"])).map((m) => m.email ?? "");
      const exact = roster.length === job.addresses.length && new Set(roster).size === roster.length && job.addresses.every((a) => roster.includes(a));
      check(exact, `${label}: the roster holds each of the ${job.addresses.length} addresses exactly once (${roster.length} members)`);
      const rows = [];
      for await (const row of allReportRows(job.jobId)) rows.push(row);
      const bad = rows.filter((r) => r.state !== "done" || r.outcome !== "subscribed");
      check(rows.length === job.addresses.length && bad.length === 0, `${label}: the report says "subscribed" for each address (${bad.length} otherwise${bad[0] ? `, e.g. ${bad[0].outcome}: ${bad[0].detail}` : ""})`);
      return rows.filter((r) => r.attempts > 1).length;
    };

    // ── 1. load ────────────────────────────────────────────────────────────────────────────
    const users = async (a: number, m: number) => [...(await Promise.all(Array.from({ length: a }, (_, i) => adminUser(i)))), ...(await Promise.all(Array.from({ length: m }, (_, j) => memberUser(j))))];
    // Warm both apps' code paths once, so the first users do not measure compilation of the route caches.
    await runLoad({ port: front.port, host, users: await users(2, 2), durationMs: 4_000, thinkMs: [100, 100], timeoutMs: TIMEOUT_MS });

    const small = await runLoad({ port: front.port, host, users: await users(2, 8), durationMs: SMALL_SECONDS * 1000, thinkMs: SMALL_THINK_MS, timeoutMs: TIMEOUT_MS });
    figures.load.push({ label: "10 users", users: 10, think: SMALL_THINK_MS, result: small });
    log(`10 users: ${small.requests} requests, ${small.errors.length} errors`);

    const loadJob = await massSubscribe(listId("mass"), 300);
    const full = await runLoad({ port: front.port, host, users: await users(ADMINS, MEMBERS), durationMs: FULL_SECONDS * 1000, thinkMs: THINK_MS, timeoutMs: TIMEOUT_MS });
    figures.load.push({ label: `${ADMINS + MEMBERS} users`, users: ADMINS + MEMBERS, think: THINK_MS, result: full });
    log(`${ADMINS + MEMBERS} users: ${full.requests} requests, ${full.errors.length} errors; connections per app ${front.counts.join(" / ")}`);
    for (const [label, r] of [["10 users", small], ["full load", full]] as const) {
      const kinds = new Map<string, number>();
      for (const e of r.errors) kinds.set(`${e.page}: ${e.what}`, (kinds.get(`${e.page}: ${e.what}`) ?? 0) + 1);
      const sample = [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([what, n]) => `${n} × ${what}`);
      check(r.errors.length === 0, `${label}: no errors (no 5xx, timeout, error page or failed action)${sample.length ? `: ${sample.join("; ")}` : ""}`);
    }
    await checkMassSubscribe("load", listId("mass"), loadJob, 120_000);

    // ── 2. faults ──────────────────────────────────────────────────────────────────────────
    const adminCookie = await cookieOf(admins[0]!);
    const fetchPage = async (pagePath: string, cookie = adminCookie) => {
      const response = await fetch(`${front.url}${pagePath}`, { headers: { cookie, host }, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
      return { status: response.status, body: await response.text() };
    };
    /** What the page says, in a line: its first alert or heading text, tags stripped. */
    const plainMessage = (body: string) => {
      const m = /role="alert"[^>]*>([\s\S]{0,600}?)<\/(?:div|p)>/.exec(body);
      return (m?.[1] ?? "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim().slice(0, 140);
    };
    /**
     * What a user sees: the page in Chromium, as a browser shows it. A page whose loading failed is
     * answered with Next's error shell (HTTP 500) and app/error.tsx is drawn by the browser, so a
     * plain fetch alone cannot tell a plain message from a bare error page.
     */
    const seenDuringOutage = async (label: string, pagePath: string) => {
      const page = await fetchPage(pagePath);
      const stack = /\n\s+at |Internal Server Error/.test(page.body);
      const { chromium } = await import("@playwright/test");
      await ensureChromium();
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
      let shown = "";
      try {
        const context = await browser.newContext({ baseURL: origin });
        const [name, ...value] = adminCookie.split("=");
        await context.addCookies([{ name: name!, value: value.join("="), domain: "localhost", path: "/" }]);
        const tab = await context.newPage();
        await tab.goto(pagePath, { timeout: TIMEOUT_MS });
        await tab.locator('[role="alert"]').first().waitFor({ timeout: 15_000 }).catch(() => undefined);
        shown = ((await tab.locator('[role="alert"]').first().textContent({ timeout: 1_000 }).catch(() => "")) ?? "").replace(/\s+/g, " ").trim();
        const whole = await tab.locator("body").innerText();
        check(!stack && shown.length > 0 && !/Application error|\n\s+at /.test(whole), `${label}: the page (HTTP ${page.status}) shows a plain message: "${shown}"`);
      } finally {
        await browser.close();
      }
      return shown.slice(0, 100);
    };

    // 2a. The core killed while a mass subscribe and a provisioning run (registry → Mailman) are
    // both under way: one restart of the core serves both checks.
    {
      const { getDb } = await import("@/db/client");
      const schema = await import("@/db/schema");
      const { eq, inArray } = await import("drizzle-orm");
      const { createEmailList, createGroup } = await import("@/lib/registry/registry");
      const { jobById } = await import("@/lib/api/v1");
      const db = await getDb();
      // Provisioning retries after the server's retry interval, at most max_retry times: 10 s ×
      // 30 outlasts a core restart on a busy machine (the default is 900 s × 5).
      // queue_on_error: the mode that promises timed retries of a run that cannot reach the core
      // (automatic fails such a run at once, as COmanage does; lib/provisioning/modes.ts).
      await db.update(schema.provisionerTargets).set({ mode: "queue_on_error", retryIntervalS: 10, maxRetry: 30 }).where(eq(schema.provisionerTargets.id, targetId));
      const group = (await createGroup({ name: `soak-${tag}`, description: "", status: "active", externalId: null })).value.id;
      const count = 100;
      const emails = Array.from({ length: count }, (_, i) => `p${String(i).padStart(3, "0")}-${tag}@people.soak.test`);
      const people = await db.insert(schema.people).values(emails.map((_, i) => ({ displayName: `Soak Person ${i}` }))).returning({ id: schema.people.id });
      await db.insert(schema.emailAddresses).values(people.map((p, i) => ({ personId: p.id, mail: emails[i]! })));
      await db.insert(schema.groupMemberships).values(people.map((p) => ({ groupId: group, personId: p.id })));
      const massList = listId("fault-core");
      const massJob = await massSubscribe(massList, 200);
      const created = await createEmailList({ targetId, name: `prov-${tag}`, description: "", status: "active", membershipMode: "group", membersGroupId: group, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: null });
      const provJobId = created.jobIds[0]!;
      const provList = `prov-${tag}.${domain}`;
      await waitFor("both jobs under way", 120_000, async () => {
        const mass = await jobProgress((await getBulkJob(massJob.jobId))!);
        const prov = await direct.rosterSize(provList, "member").catch(() => 0);
        return mass.done >= 20 && mass.done < 200 && prov >= 10;
      });
      const killedAt = performance.now();
      await killLocalCore(CORE_NAME);
      log("core killed (SIGKILL) during a mass subscribe and a provisioning run");
      const seen = await seenDuringOutage("core down", `/lists/${targetId}/${encodeURIComponent(massList)}/members`);
      core = await restartLocalCore(CORE_NAME);
      const upAt = performance.now();
      log(`core restarted after ${((upAt - killedAt) / 1000).toFixed(1)} s`);
      const page = await fetchPage(`/lists/${targetId}/${encodeURIComponent(massList)}/members`);
      check(page.status === 200, `core back: the roster page answers again (HTTP ${page.status})`);
      const resent = await checkMassSubscribe("core killed during a mass subscribe", massList, massJob, 180_000);
      const massDoneAt = performance.now();
      const job = await waitFor("the provisioning job finishing", 180_000, async () => {
        const j = await jobById(provJobId);
        return ["succeeded", "failed", "partial"].includes(j.status) ? j : null;
      }).catch(() => null);
      const provDoneAt = performance.now();
      check(job?.status === "succeeded", `core killed during provisioning: the job succeeded (${job?.status ?? "still running"}, ${job?.attempts ?? "?"} attempts)`);
      const roster = await direct.fullRoster(provList, "member", ["email", "user"], 1000);
      check(roster.length === count && new Set(roster.map((m) => m.email)).size === count && emails.every((e) => roster.some((m) => m.email === e)), `core killed during provisioning: each of the ${count} people subscribed exactly once (${roster.length} members)`);
      const mapped = await db.select().from(schema.coreUsers).where(inArray(schema.coreUsers.personId, people.map((p) => p.id)));
      check(mapped.length === count && new Set(mapped.map((m) => m.mailmanUserId)).size === count, `core killed during provisioning: one core user per person (${mapped.length} mapped)`);
      const outage = `${((upAt - killedAt) / 1000).toFixed(1)} s`;
      figures.faults.push({ name: "core SIGKILL during mass subscribe", outage, recovered: `job done ${((massDoneAt - upAt) / 1000).toFixed(1)} s after; ${resent} resent`, seen });
      figures.faults.push({ name: "core SIGKILL during provisioning", outage, recovered: `job ${job?.status ?? "?"} ${((provDoneAt - upAt) / 1000).toFixed(1)} s after`, seen });
    }

    // 2b. A worker killed while it holds a job's lease.
    {
      const list = listId("fault-worker");
      const job = await massSubscribe(list, 200);
      const holder = await waitFor("fault-worker: a worker holding the job's lease", 60_000, async () => {
        const j = await getBulkJob(job.jobId);
        if (!j?.leaseOwner || (await jobProgress(j)).done < 20) return null;
        return j.leaseOwner;
      });
      const pid = Number(holder.split(":").at(-2));
      const victim = procs.workers.find((w) => alive(w) && w.pid && readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[2] === String(w.pid));
      check(Boolean(victim), `the lease holder (pid ${pid}) is one of the soak's workers`);
      const killedAt = performance.now();
      process.kill(pid, "SIGKILL");
      log(`worker ${holder} killed (SIGKILL) while holding the lease of job ${job.jobId}`);
      const takenOver = await waitFor("another worker taking the job over", 60_000, async () => {
        const j = await getBulkJob(job.jobId);
        return j && (j.status === "done" || (j.leaseOwner && j.leaseOwner !== holder)) ? performance.now() : null;
      });
      const resent = await checkMassSubscribe("worker killed holding a lease", list, job, 120_000);
      figures.faults.push({
        name: "worker SIGKILL holding a job's lease",
        outage: "—",
        recovered: `taken over ${((takenOver - killedAt) / 1000).toFixed(1)} s after; ${resent} resent`,
        seen: "the job page's progress pauses, then goes on",
      });
      procs.startWorker();
    }

    // 2c. PostgreSQL restarted under load (20 users, and a mass subscribe running).
    {
      const list = listId("fault-pg");
      const job = await massSubscribe(list, 200);
      const loadUsers = await users(5, 15);
      let restartedAt = 0;
      let stoppedAt = 0;
      const pgThink = [500, 1_500] as const;
      const loadRun = runLoad({ port: front.port, host, users: loadUsers, durationMs: 25_000, thinkMs: pgThink, timeoutMs: TIMEOUT_MS });
      await sleep(6_000);
      stoppedAt = performance.now();
      const restart = pg.restart();
      const seenPage = sleep(150).then(() => fetchPage("/me", loadUsers[6]!.cookie).catch((e: Error) => ({ status: 0, body: e.message })));
      await restart;
      restartedAt = performance.now();
      log(`PostgreSQL restarted (fast shutdown) in ${((restartedAt - stoppedAt) / 1000).toFixed(1)} s under load`);
      const during = await seenPage;
      const answered = await waitFor("the app answering after the restart", 60_000, async () => ((await fetchPage("/me", loadUsers[6]!.cookie)).status === 200 ? performance.now() : null));
      const result = await loadRun;
      figures.load.push({ label: "PG restart", users: 20, think: pgThink, result });
      const stack = /\n\s+at |Application error/.test(during.body);
      check(!stack, `during the database restart a page shows no stack or "Application error" (HTTP ${during.status}: "${plainMessage(during.body)}")`);
      check(procs.apps.every(alive) && procs.workers.filter(alive).length >= 2, "every app and worker process survived the database restart");
      const { getDb } = await import("@/db/client");
      const { sql } = await import("drizzle-orm");
      await (await getDb()).execute(sql`select 1`).catch(() => undefined);
      const beats = await waitFor("every live worker beating again", 30_000, async () => {
        const rows = (await (await getDb()).execute(sql`select count(*)::int as n from job_workers where stopped_at is null and last_seen_at > now() - interval '6 seconds'`)) as unknown as { rows: { n: number }[] };
        return rows.rows[0]!.n >= 2 ? rows.rows[0]!.n : null;
      }).catch(() => 0);
      check(beats >= 2, `the workers' heartbeats resumed after the restart (${beats} beating)`);
      const lateErrors = result.errors.length;
      const resent = await checkMassSubscribe("PostgreSQL restarted", list, job, 120_000);
      figures.faults.push({
        name: "PostgreSQL restart under load (20 users)",
        outage: `${((restartedAt - stoppedAt) / 1000).toFixed(1)} s`,
        recovered: `pages ${((answered - restartedAt) / 1000).toFixed(1)} s after; ${lateErrors} failed requests; ${resent} resent`,
        seen: `HTTP ${during.status}: ${plainMessage(during.body) || during.body.slice(0, 60)}`,
      });
    }

    // 2d. The template endpoint down while the core fetches a template.
    {
      const list = listId("fault-template");
      const { publishTemplate, saveTemplate } = await import("@/lib/templates/templates");
      const WELCOME = "list:user:notice:welcome";
      const templateOwner = { targetId, scope: "list" as const, scopeId: list };
      const marker = `soak-welcome-${tag}`;
      const su = (await loadViewer(ids.get(superuser)!))!;
      await saveTemplate(templateOwner, WELCOME, `Welcome (${marker}) to $display_name.`, su.id);
      const published = await publishTemplate(direct, templateOwner, WELCOME, su.id, { baseUrl: templateGate.url });
      check(published.warning === null, `the welcome template is published and its endpoint answers (${published.uri})`);
      // One member joins while the endpoint is down, another once it is back.
      const [duringJoiner, afterJoiner] = [members[1]!, members[2]!];
      const subscribeAs = async (email: string) =>
        sendOnce({ port: front.port, host, timeoutMs: TIMEOUT_MS }, await cookieOf(email), actionStep("subscribe", "/me", ids_.subscribe, origin, { targetId, listId: list, address: "primary" }, actionCheck));
      await templateGate.down();
      const downAt = performance.now();
      log("template endpoint down");
      const attempt = await subscribeAs(duringJoiner);
      writeFileSync(path.join(logDir, "template-down-answer.txt"), `${attempt.status}\n${attempt.body}`);
      const message = /"message":"([^"]*)"/.exec(attempt.body)?.[1] ?? "";
      check(attempt.status === 200 && message.length > 0 && !/HTTPConnectionPool|Errno|Traceback|reference/i.test(message), `with the endpoint down, subscribing answers in plain words ("${message}")`);
      const rosterDuring = (await direct.fullRoster(list, "member", ["email"])).map((m) => m.email);
      await templateGate.up();
      const upAt = performance.now();
      log("template endpoint back");
      const again = await subscribeAs(afterJoiner);
      writeFileSync(path.join(logDir, "template-up-answer.txt"), `${again.status}\n${again.body}`);
      check(actionCheck(again.status, again.body) === null && again.body.includes('"subscribed"') && !again.body.includes("not sent"), "with the endpoint back, the next subscription succeeds");
      const welcome = await waitForMail(core.maildir, (m) => m.to.includes(afterJoiner) && m.body.includes(marker), 60_000).then(() => performance.now()).catch(() => 0);
      check(welcome > 0, "with the endpoint back, the core fetched the published text: the welcome mail carries it");
      const roster = (await direct.fullRoster(list, "member", ["email"])).map((m) => m.email);
      const once = (e: string) => roster.filter((x) => x === e).length === 1;
      check(rosterDuring.filter((e) => e === duringJoiner).length <= 1 && once(afterJoiner) && roster.filter((e) => e === duringJoiner).length === rosterDuring.filter((e) => e === duringJoiner).length, `each member is on the list at most once, as the answer said (${roster.length} members)`);
      figures.faults.push({
        name: "template endpoint down while the core fetches",
        outage: `${((upAt - downAt) / 1000).toFixed(1)} s`,
        recovered: welcome ? `welcome mail ${((welcome - upAt) / 1000).toFixed(1)} s after` : "no welcome mail",
        seen: message,
      });
    }

  } catch (error) {
    failures.push(`the soak stopped: ${error instanceof Error ? error.stack : String(error)}`);
  } finally {
    procs?.stopAll();
    for (const p of proxies) await p.close();
    const { stopQueue } = await import("@/lib/jobs/queue").catch(() => ({ stopQueue: async () => {} }));
    await stopQueue().catch(() => undefined);
    const { closeDb } = await import("@/db/client").catch(() => ({ closeDb: async () => {} }));
    await closeDb().catch(() => undefined);
    await sleep(1_000);
    await stopLocalCore(CORE_NAME).catch(() => undefined);
    await pg?.stop();
  }
  printFigures(figures);
  // `npm test` adds these to its closing count (scripts/test-all.ts).
  if (process.env.SOAK_REPORT) writeFileSync(process.env.SOAK_REPORT, `${JSON.stringify({ passed, failed: failures.length })}\n`);
  console.log(`\nsoak: ${((performance.now() - started) / 1000).toFixed(0)} s in all; logs of the app and worker processes in ${path.relative(repoRoot, logDir)}/`);
  if (failures.length > 0) {
    console.error(`\n${failures.length} soak check(s) failed:\n${failures.map((f) => `  - ${f}`).join("\n")}`);
    process.exit(1);
  }
  console.log("soak: every check passed");
}

void main();
