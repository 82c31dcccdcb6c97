/**
 * npm run bench:pages [-- --runs 15 --delays 0,10 --index 50,500,5000 --members 1000 --rounds 10 --pages KEYS --profile DIR]
 *
 * Real page requests to a production build (`next build`, `next start`, as scripts/e2e.ts does;
 * SKIP_BUILD=1 reuses a build) whose target points at a delay proxy of our own in front of a real
 * core (bench/delay-proxy.ts). Each list page of issue 13's table is fetched as a signed-in
 * superuser, warmed up, then timed `runs` times at each delay: median and p90 of the whole
 * request, its core calls (counted at the proxy), the time spent waiting on the core (the union of
 * the calls' spans) next to its slowest single call, the rest (Listkeeper's own time) and the HTML
 * size. The raw floor is the same calls replayed in parallel with plain fetch through the proxy.
 * Then the list index with 50 / 500 / 5,000 lists on the server. Postorius' figures from the
 * issue (measured side by side in an earlier run, at 10 ms) are printed beside, as context.
 * BENCH_SPLIT=1 also prints each page's own time before its first core call and after its last
 * (the first is where a page's own time mostly goes: Next.js's request set-up, the session, the
 * account's and the target's database reads); BENCH_VERBOSE=1 lists the calls; BENCH_DUMP=DIR writes
 * each page's HTML there.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pLimit from "p-limit";
import { acquireTestCore, type CoreHandle } from "../scripts/lib/core-env";
import { dataDir, ensureLocalSecrets, repoRoot } from "../scripts/lib/local-secrets";
import { freePort, run, waitForHttp } from "../scripts/lib/run";
import { startDelayProxy, type DelayProxy, type ProxiedCall } from "./delay-proxy";
import { median, timeInFlightAtMost } from "./support";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "15" },
    warmup: { type: "string", default: "3" },
    /** Rounds of every page before the first measurement. */
    rounds: { type: "string", default: "10" },
    delays: { type: "string", default: "0,10" },
    index: { type: "string", default: "50,500,5000" },
    members: { type: "string", default: "1000" },
    /** Only these pages (keys, comma-separated: floor-route, summary, members, held-owner, …). */
    pages: { type: "string" },
    /** A directory: the app server writes V8 CPU profiles there when it stops (--cpu-prof). */
    profile: { type: "string" },
    /** The profile's sampling interval in microseconds (V8's default is 1000). */
    "profile-interval": { type: "string", default: "1000" },
  },
});
const RUNS = Number(values.runs);
const WARMUP = Number(values.warmup);
const ROUNDS = Number(values.rounds);
const DELAYS = values.delays.split(",").map(Number);
const INDEX_SIZES = values.index.split(",").filter(Boolean).map(Number).sort((a, b) => a - b);
const MEMBERS = Number(values.members);

/** Issue 13's table: Postorius 1.3.8 at 10 ms per call, and its core calls per page. */
const POSTORIUS: Record<string, { ms: number; calls: number }> = {
  index: { ms: 117, calls: 4 },
  summary: { ms: 226, calls: 10 },
  members: { ms: 239, calls: 8 },
  settings: { ms: 100, calls: 4 },
  "header-filters": { ms: 94.6, calls: 4 },
  held: { ms: 111, calls: 5 },
};

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
}

const fmt = (ms: number, width = 7) => ms.toFixed(1).padStart(width);

interface Sample {
  total: number;
  t0: number;
  calls: ProxiedCall[];
  coreWait: number;
  slowest: number;
  bytes: number;
}

async function main() {
  const core: CoreHandle = await acquireTestCore("pages-bench");
  let server: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  let proxy: DelayProxy | undefined;
  try {
    const secrets = ensureLocalSecrets();
    const dbEnv: Record<string, string> = {};
    if (!process.env.DATABASE_URL) {
      const dir = path.join(dataDir, "pages-bench-pglite");
      rmSync(dir, { recursive: true, force: true });
      dbEnv.PGLITE_DIR = dir;
      process.env.PGLITE_DIR = dir;
    }
    process.env.LOG_LEVEL = "warn";
    proxy = await startDelayProxy(core.restUrl);

    const tag = Date.now().toString(36);
    const domain = `pages-${tag}.bench.test`;
    const su = { email: `su-${tag}@bench.test`, password: "bench password 1" };
    const owner = { email: `owner-${tag}@bench.test`, password: "bench password 1" };
    const { seed } = await import("../scripts/lib/seed");
    const { targetId } = await seed({
      users: [
        { ...su, name: "Bench Superuser", superuser: true },
        { ...owner, name: "Bench Owner" },
      ],
      // The app reaches the core through the proxy; setup below talks to the core directly.
      target: { name: `pages ${tag}`, serverUrl: proxy.url, adminUser: core.user, adminPassword: core.password, domain },
      lists: [{ name: "pages", owner: owner.email, description: "The list every page bench reads", advertised: true }],
    });
    const { findCredentialsByEmail } = await import("@/lib/auth/users");
    const suId = (await findCredentialsByEmail(su.email))!.id;
    const ownerId = (await findCredentialsByEmail(owner.email))!.id;
    const { closeDb } = await import("@/db/client");
    await closeDb();

    const { MailmanClient } = await import("@/lib/mailman");
    const { injectMessage } = await import("@/lib/mailman/held");
    const direct = new MailmanClient({ baseUrl: core.restUrl, user: core.user, password: core.password, timeoutMs: 60_000 });
    const listId = `pages.${domain}`;
    let started = performance.now();
    const limit = pLimit(4);
    await Promise.all(
      Array.from({ length: MEMBERS }, (_, i) =>
        limit(() =>
          direct.subscribe({
            listId,
            subscriber: `member${String(i).padStart(5, "0")}@bench.example`,
            displayName: `Bench Member ${i}`,
            preVerified: true,
            preConfirmed: true,
            preApproved: true,
            sendWelcomeMessage: false,
          }),
        ),
      ),
    );
    console.log(`setup: ${MEMBERS} members subscribed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await direct.patchListConfig(listId, { default_nonmember_action: "hold" });
    for (let i = 0; i < 5; i++) {
      await injectMessage(
        direct,
        listId,
        [`From: outsider${i}@elsewhere.example`, `To: pages@${domain}`, `Subject: Held ${i}`, `Message-ID: <held-${i}-${tag}@elsewhere.example>`, "", "Hello list.", ""].join("\r\n"),
      );
    }

    if (process.env.SKIP_BUILD !== "1" || !existsSync(path.join(repoRoot, ".next", "BUILD_ID"))) {
      started = performance.now();
      await run("npx", ["next", "build"], { cwd: repoRoot, env: { ...process.env, ...dbEnv, NEXT_TELEMETRY_DISABLED: "1" } });
      console.log(`setup: production build in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    const port = await freePort();
    const origin = `http://localhost:${port}`;
    const start = ["start", "-H", "127.0.0.1", "-p", String(port)];
    // Node refuses --cpu-prof in NODE_OPTIONS: with --profile the server is started by node itself.
    const [command, args] = values.profile
      ? [process.execPath, ["--cpu-prof", `--cpu-prof-dir=${path.resolve(values.profile)}`, `--cpu-prof-interval=${values["profile-interval"]}`, path.join(repoRoot, "node_modules/next/dist/bin/next"), ...start]]
      : ["npx", ["next", ...start]];
    server = spawn(command, args, {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...dbEnv,
        ...secrets,
        AUTH_URL: origin,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "inherit", "inherit"],
      detached: true,
    });
    await waitForHttp(`${origin}/login`, 90_000);
    if (process.env.DATABASE_URL) {
      // As in production: on PostgreSQL the job worker is a process of its own, and its minute
      // schedule keeps the list index's copy fresh (with PGlite the app runs it inside itself).
      worker = spawn("npx", ["tsx", "scripts/worker.ts"], {
        cwd: repoRoot,
        env: { ...process.env, ...dbEnv, ...secrets, LOG_LEVEL: "warn" },
        stdio: ["ignore", "inherit", "inherit"],
        detached: true,
      });
    }

    // A session cookie as next-auth writes it after a password sign-in (only the account id).
    const { encode } = await import("next-auth/jwt");
    const cookieName = "authjs.session-token";
    const cookieOf = async (uid: string) => `${cookieName}=${await encode({ token: { uid, sub: uid }, secret: secrets.AUTH_SECRET, salt: cookieName, maxAge: 3600 })}`;
    const suCookie = await cookieOf(suId);
    const ownerCookie = await cookieOf(ownerId);

    const base = `/lists/${targetId}/${encodeURIComponent(listId)}`;
    const allPages: { key: string; label: string; url: string; cookie: string }[] = [
      // Next's own floor on this machine: what a request costs with no data, session or render.
      { key: "floor-route", label: "floor: a route that does nothing", url: "/api/health", cookie: "" },
      { key: "floor-page", label: "floor: the sign-in page (no session)", url: "/login", cookie: "" },
      { key: "index", label: "list index (1 list)", url: `/lists?target=${targetId}`, cookie: suCookie },
      { key: "summary", label: "list summary", url: base, cookie: suCookie },
      { key: "members", label: `members page 1 (${MEMBERS} members)`, url: `${base}/members`, cookie: suCookie },
      { key: "settings", label: "settings: message acceptance", url: `${base}/settings/message-acceptance`, cookie: suCookie },
      { key: "header-filters", label: "header filters", url: `${base}/header-filters`, cookie: suCookie },
      { key: "held", label: "held messages (5)", url: `${base}/held`, cookie: suCookie },
      { key: "badges", label: "badges (after each list page)", url: `${base}/badges`, cookie: suCookie },
      { key: "summary-owner", label: "list summary, as its owner", url: base, cookie: ownerCookie },
      { key: "held-owner", label: "held messages, as the list's owner", url: `${base}/held`, cookie: ownerCookie },
    ];
    const only = values.pages?.split(",").filter(Boolean);
    const pages = only ? allPages.filter((page) => only.includes(page.key)) : allPages;
    if (only && pages.length !== only.length) throw new Error(`--pages: unknown key in ${values.pages}; known: ${allPages.map((p) => p.key).join(", ")}`);

    const authorization = `Basic ${Buffer.from(`${core.user}:${core.password}`).toString("base64")}`;
    async function fetchPage(url: string, cookie: string): Promise<Sample> {
      const from = proxy!.calls.length;
      const t0 = performance.now();
      const response = await fetch(`${origin}${url}`, { headers: { cookie }, redirect: "manual" });
      const body = await response.text();
      const t1 = performance.now();
      if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}`);
      // Calls still in flight when the answer ends (none expected) would be counted by the next.
      const calls = proxy!.calls.slice(from).filter((c) => c.start >= t0 && c.end <= t1);
      const coreWait = t1 - t0 - timeInFlightAtMost(calls, 0, t0, t1);
      const slowest = Math.max(0, ...calls.map((c) => c.end - c.start));
      return { total: t1 - t0, t0, calls, coreWait, slowest, bytes: Buffer.byteLength(body) };
    }
    /** The floor: the page's own core GETs, all at once, with plain fetch through the proxy. */
    async function rawFloor(calls: readonly ProxiedCall[]): Promise<number> {
      const urls = calls.filter((c) => c.method === "GET").map((c) => c.url);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        await Promise.all(urls.map((p) => fetch(`${proxy!.url}${p}`, { headers: { authorization, accept: "application/json" } }).then((r) => r.text())));
        times.push(performance.now() - t0);
      }
      return median(times);
    }
    async function measure(url: string, cookie: string) {
      if (process.env.BENCH_DUMP) {
        const response = await fetch(`${origin}${url}`, { headers: { cookie } });
        writeFileSync(path.join(process.env.BENCH_DUMP, `${url.replace(/[^a-z0-9]+/gi, "_")}.html`), await response.text());
      }
      for (let i = 0; i < WARMUP; i++) await fetchPage(url, cookie);
      const samples: Sample[] = [];
      for (let i = 0; i < RUNS; i++) samples.push(await fetchPage(url, cookie));
      const last = samples.at(-1)!;
      return {
        median: median(samples.map((s) => s.total)),
        p90: quantile(samples.map((s) => s.total), 0.9),
        calls: median(samples.map((s) => s.calls.length)),
        coreWait: median(samples.map((s) => s.coreWait)),
        slowest: median(samples.map((s) => s.slowest)),
        own: median(samples.map((s) => s.total - s.coreWait)),
        before: median(samples.map((s) => (s.calls.length ? Math.min(...s.calls.map((c) => c.start)) - s.t0 : NaN))),
        after: median(samples.map((s) => (s.calls.length ? s.t0 + s.total - Math.max(...s.calls.map((c) => c.end)) : NaN))),
        kb: last.bytes / 1024,
        callList: last.calls,
        floor: await rawFloor(last.calls),
      };
    }

    // A fresh server is slower for its first hundreds of requests (V8 warms up): every page is
    // fetched a few times first, so the first delay measured is not handicapped.
    for (let round = 0; round < ROUNDS; round++) for (const page of pages) await fetchPage(page.url, page.cookie);
    console.log(`\nlist pages, ${RUNS} timed GETs each after ${WARMUP} warm-up (and ${ROUNDS} of every page before the first), superuser unless said (${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`);
    const header = `${"page".padEnd(38)}${"delay".padStart(6)}${"median".padStart(8)}${"p90".padStart(8)}${"calls".padStart(6)}${"core wait".padStart(10)}${"slowest".padStart(8)}${"own".padStart(7)}${"HTML KB".padStart(8)}${"raw floor".padStart(10)}   Postorius @10 ms`;
    for (const delay of DELAYS) {
      proxy.delayMs = delay;
      console.log(`\n${header}`);
      for (const page of pages) {
        const m = await measure(page.url, page.cookie);
        const p = POSTORIUS[page.key];
        const context = p ? `${p.ms.toFixed(1).padStart(6)} ms, ${p.calls} calls${delay === 10 ? ` (${(p.ms / m.median).toFixed(2)}×)` : ""}` : "";
        console.log(
          `${page.label.padEnd(38)}${String(delay).padStart(6)}${fmt(m.median, 8)}${fmt(m.p90, 8)}${String(m.calls).padStart(6)}${fmt(m.coreWait, 10)}${fmt(m.slowest, 8)}${fmt(m.own, 7)}${m.kb.toFixed(1).padStart(8)}${fmt(m.floor, 10)}   ${context}`,
        );
        if (process.env.BENCH_SPLIT) console.log(`    own before the first call ${m.before.toFixed(1)} ms, after the last ${m.after.toFixed(1)} ms`);
        if (process.env.BENCH_VERBOSE) for (const c of m.callList) console.log(`    ${c.method} ${c.path} ${(c.end - c.start).toFixed(1)} ms`);
      }
    }

    // The index with N lists on the server: lists are created 4 at a time, directly on the core.
    if (INDEX_SIZES.length > 0) {
      const indexDomain = `index-${tag}.bench.test`;
      await direct.createDomain({ mailHost: indexDomain });
      let have = 0;
      console.log(`\nlist index (superuser, /lists?target=…, page 1 of 25) by lists on the server`);
      for (const size of INDEX_SIZES) {
        started = performance.now();
        const limitLists = pLimit(4);
        await Promise.all(
          Array.from({ length: size - have }, (_, i) =>
            limitLists(() => direct.createList({ fqdnListname: `l${String(have + i).padStart(5, "0")}@${indexDomain}`, styleName: "legacy-default" })),
          ),
        );
        console.log(`setup: ${size - have} more lists (now ${size} in the bench's domain) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        have = size;
        // Lists made behind Listkeeper's back reach its index with the next background refresh
        // (lib/lists/list-snapshot.ts, at most a minute old): the figures are of the steady state.
        started = performance.now();
        proxy.delayMs = 0;
        // The server may hold other lists too (a core shared through MAILMAN_TEST_*).
        const onServer = (await direct.listLists({ count: 1, page: 1 })).total;
        for (;;) {
          const html = await (await fetch(`${origin}/lists?target=${targetId}`, { headers: { cookie: suCookie } })).text();
          if (!html.includes("list-index-age")) break; // an index without a snapshot: nothing to wait for
          if (new RegExp(`Lists, (<!-- -->)?${onServer}(<!-- -->)? in all`).test(html)) break;
          if (performance.now() - started > 600_000) throw new Error(`the index did not show the server's ${onServer} lists within 10 min`);
          await new Promise((r) => setTimeout(r, 2_000));
        }
        console.log(`setup: the index showed all ${onServer} lists of the server after ${((performance.now() - started) / 1000).toFixed(1)} s`);
        // The worker's refresh goes on reading the new lists' last posts (up to 100 a minute)
        // through the same proxy; its calls are not the view's, so the timing starts once the
        // proxy has been quiet for 2 s.
        const quietSince = performance.now();
        while (performance.now() - Math.max(0, ...proxy.calls.slice(-1).map((c) => c.end)) < 2_000 && performance.now() - quietSince < 120_000) {
          await new Promise((r) => setTimeout(r, 250));
        }
        for (const delay of DELAYS) {
          proxy.delayMs = delay;
          const m = await measure(`/lists?target=${targetId}`, suCookie);
          const mOwner = await measure(`/lists?target=${targetId}`, ownerCookie);
          console.log(
            `  ${String(size).padStart(5)} lists @${String(delay).padStart(2)} ms: superuser median ${fmt(m.median)} p90 ${fmt(m.p90)} calls ${m.calls}  |  owner median ${fmt(mOwner.median)} p90 ${fmt(mOwner.p90)} calls ${mOwner.calls}`,
          );
        }
      }
    }
  } finally {
    for (const child of [server, worker]) {
      if (!child?.pid) continue;
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    await proxy?.close();
    await core.release();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
