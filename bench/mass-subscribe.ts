/**
 * npm run bench:mass-subscribe [-- --addresses 1000 --runs 3]
 * A mass subscribe of N new addresses through Listkeeper (startMassSubscribe → a job worker in
 * this process → the job's end) side by side with two floors on the same core: raw
 * `POST /3.1/members` with plain fetch, one at a time and 4 at a time. Each variant gets a fresh
 * list (same settings) and addresses the core has never seen. Variants take turns (the order
 * rotates per run) so a core that slows as it fills hurts none of them more than the others.
 * Target: Listkeeper ≤ 1.2 × the best floor.
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { databaseLabel, median, rawCore, recordCoreCalls, runBench, seconds, sleep, timeInFlightAtMost, type TimedCall } from "./support";

const { values } = parseArgs({ options: { addresses: { type: "string", default: "1000" }, runs: { type: "string", default: "3" } } });
const ADDRESSES = Number(values.addresses);
const RUNS = Number(values.runs);
const TARGET_RATIO = 1.2;
const POLL_MS = 50;

type Variant = "floorA" | "floorB" | "listkeeper";
const LABELS: Record<Variant, string> = {
  floorA: "floor A: raw POST /members, sequential",
  floorB: "floor B: raw POST /members, 4 in parallel",
  listkeeper: "Listkeeper: submit → job done",
};

interface ListkeeperRun {
  /** startMassSubscribe returned. */
  submitMs: number;
  /** The worker's first POST /members started. */
  firstSendMs: number;
  /** The last POST /members ended. */
  lastSendMs: number;
  /** The worker recorded the job's last result (onBatch). */
  lastRecordedMs: number;
  /** This bench saw the job `done` (polling every POLL_MS). */
  doneMs: number;
  posts: TimedCall[];
  /** Core calls other than the sends that happened before the first send (the submit's look-ups). */
  callsBeforeFirstSend: number;
}

interface Span {
  start: number;
  end: number;
}

interface Measured {
  ms: number;
  /** CPU time of this process (user + system): the floors' fetch loop, or the app, worker and PGlite. */
  cpuMs: number;
  posts: Span[];
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

runBench(async ({ core, su, domain, target, client }) => {
  const { startWorker } = await import("@/lib/jobs/worker");
  const { authorizeList } = await import("@/lib/auth/list-access");
  const { startMassSubscribe } = await import("@/lib/members/mass-operations");
  const { massSubscribeStartSchema } = await import("@/lib/members/mass-input");
  const { getBulkJob, jobProgress } = await import("@/lib/members/bulk-store");
  const { env } = await import("@/lib/env");

  const request = rawCore(core);
  async function rawSubscribe(listId: string, email: string): Promise<Span> {
    const start = performance.now();
    const body = { list_id: listId, subscriber: email, pre_verified: true, pre_confirmed: true, pre_approved: true, send_welcome_message: false };
    const { status, json } = await request("POST", "/members", body);
    if (status !== 201) throw new Error(`POST /members ${email}: ${status} ${JSON.stringify(json)}`);
    return { start, end: performance.now() };
  }

  async function floor(listId: string, addresses: readonly string[], parallel: number): Promise<Span[]> {
    let next = 0;
    const latencies: Span[] = [];
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < addresses.length) latencies.push(await rawSubscribe(listId, addresses[next++]!));
      }),
    );
    return latencies;
  }

  // Results the worker recorded, per job, and when the last batch was recorded.
  const recorded = new Map<number, { items: number; at: number }>();
  const worker = await startWorker({
    onBatch: (jobId, items) => {
      const entry = recorded.get(jobId) ?? { items: 0, at: 0 };
      recorded.set(jobId, { items: entry.items + items, at: performance.now() });
    },
  });

  async function listkeeper(listId: string, addresses: readonly string[]): Promise<{ jobId: number; run: ListkeeperRun }> {
    const access = await authorizeList(su, target.id, listId, "administer");
    const log = await recordCoreCalls();
    const t0 = performance.now();
    const input = massSubscribeStartSchema.parse({ targetId: target.id, listId, format: "text", input: addresses.join("\n"), options: {}, consent: true });
    const { jobId } = await startMassSubscribe(access, input);
    const submitted = performance.now();
    let status: string | undefined;
    for (;;) {
      status = (await getBulkJob(jobId))?.status;
      if (status === "done" || status === "failed" || status === "cancelled") break;
      await sleep(POLL_MS);
    }
    const done = performance.now();
    log.stop();
    if (status !== "done") throw new Error(`job ${jobId} ended ${status}`);
    const posts = log.calls.filter((c) => c.method === "POST" && c.path === "/members");
    const firstSend = Math.min(...posts.map((c) => c.start));
    const lastSend = Math.max(...posts.map((c) => c.end));
    return {
      jobId,
      run: {
        submitMs: submitted - t0,
        firstSendMs: firstSend - t0,
        lastSendMs: lastSend - t0,
        lastRecordedMs: (recorded.get(jobId)?.at ?? NaN) - t0,
        doneMs: done - t0,
        posts,
        callsBeforeFirstSend: log.calls.filter((c) => !posts.includes(c) && c.start < firstSend).length,
      },
    };
  }

  async function verifyListkeeper(listId: string, jobId: number, addresses: readonly string[]) {
    const roster = new Set((await client.fullRoster(listId, "member", ["email"], 1_000)).map((m) => (m.email ?? "").toLowerCase()));
    const missing = addresses.filter((a) => !roster.has(a));
    if (roster.size !== addresses.length || missing.length > 0) throw new Error(`list ${listId}: ${roster.size} on the roster, ${missing.length} missing`);
    const { outcomes, done } = await jobProgress({ id: jobId, total: addresses.length });
    if (done !== addresses.length || outcomes.subscribed !== addresses.length) throw new Error(`job ${jobId}: report ${JSON.stringify(outcomes)}`);
  }

  let listNo = 0;
  const freshList = () => client.createList({ fqdnListname: `mass-${String(++listNo).padStart(2, "0")}@${domain}` });
  const addressesFor = (label: string, n: number) => Array.from({ length: n }, (_, i) => `${label}-${String(i).padStart(5, "0")}@bench.example`);

  try {
    // Warm-up, not timed: connections, JIT, the worker's first job, the core's caches.
    await floor(await freshList(), addressesFor("warm-a", 20), 1);
    await floor(await freshList(), addressesFor("warm-b", 20), 4);
    const warm = await freshList();
    const warmAddresses = addressesFor("warm-lk", 20);
    await verifyListkeeper(warm, (await listkeeper(warm, warmAddresses)).jobId, warmAddresses);

    const [l1, l5, l15] = loadavg().map((x) => x.toFixed(2));
    console.log(`Mass subscribe of ${ADDRESSES} new addresses, ${RUNS} run(s) per variant; ${databaseLabel()}; core ${core.restUrl}; MAILMAN_CONCURRENCY=${env.MAILMAN_CONCURRENCY}; load average ${l1} ${l5} ${l15}`);

    const results: Record<Variant, Measured[]> = { floorA: [], floorB: [], listkeeper: [] };
    const lkRuns: ListkeeperRun[] = [];
    const order: Variant[] = ["floorA", "floorB", "listkeeper"];
    for (let run = 1; run <= RUNS; run++) {
      const turn = [...order.slice((run - 1) % 3), ...order.slice(0, (run - 1) % 3)];
      const line: string[] = [];
      for (const variant of turn) {
        const listId = await freshList();
        const addresses = addressesFor(`${variant.toLowerCase()}-r${run}`, ADDRESSES);
        const cpu0 = process.cpuUsage();
        if (variant === "listkeeper") {
          const { jobId, run: lk } = await listkeeper(listId, addresses);
          const cpu = process.cpuUsage(cpu0);
          await verifyListkeeper(listId, jobId, addresses);
          results.listkeeper.push({ ms: lk.doneMs, cpuMs: (cpu.user + cpu.system) / 1000, posts: lk.posts });
          lkRuns.push(lk);
          line.push(`Listkeeper ${seconds(lk.doneMs)} (last result recorded at ${seconds(lk.lastRecordedMs)})`);
        } else {
          const t0 = performance.now();
          const posts = await floor(listId, addresses, variant === "floorA" ? 1 : 4);
          const ms = performance.now() - t0;
          const cpu = process.cpuUsage(cpu0);
          const size = await client.rosterSize(listId, "member");
          if (size !== ADDRESSES) throw new Error(`${variant}: ${size} members on ${listId}`);
          results[variant].push({ ms, cpuMs: (cpu.user + cpu.system) / 1000, posts });
          line.push(`${variant === "floorA" ? "floor A" : "floor B"} ${seconds(ms)}`);
        }
      }
      console.log(`run ${run}: ${line.join(", ")}`);
    }

    const med = (variant: Variant) => [...results[variant]].sort((a, b) => a.ms - b.ms)[Math.floor(results[variant].length / 2)]!;
    console.log(`\n${"variant".padEnd(46)} ${"median".padStart(9)}  ${"per address".padStart(11)}   runs`);
    for (const variant of order) {
      const m = med(variant).ms;
      console.log(
        `${LABELS[variant].padEnd(46)} ${seconds(m).padStart(9)}  ${`${(m / ADDRESSES).toFixed(2)} ms`.padStart(11)}   ${results[variant].map((r) => (r.ms / 1000).toFixed(2)).join(" ")}`,
      );
    }
    const best: Variant = med("floorA").ms <= med("floorB").ms ? "floorA" : "floorB";
    const ratio = med("listkeeper").ms / med(best).ms;
    console.log(
      `\nListkeeper / best floor (${best === "floorA" ? "A" : "B"}): ${ratio.toFixed(2)}×   target ≤ ${TARGET_RATIO}×: ${ratio <= TARGET_RATIO ? "met" : "NOT met"}`,
    );

    // Where the time goes, in each variant's median run.
    console.log(`\nmedian runs: POST /members latency mean / median; from the first POST's start to the last one's end: mean POSTs in flight, time with ≤ 1 and with 0 in flight; CPU time of this process`);
    for (const variant of order) {
      const { posts, cpuMs } = med(variant);
      const latency = posts.map((p) => p.end - p.start);
      const from = Math.min(...posts.map((p) => p.start));
      const to = Math.max(...posts.map((p) => p.end));
      console.log(
        `  ${LABELS[variant].padEnd(44)} ${(sum(latency) / latency.length).toFixed(1).padStart(5)} / ${median(latency).toFixed(1).padStart(5)} ms   ` +
          `${(sum(latency) / (to - from)).toFixed(2)} in flight, ≤ 1 for ${timeInFlightAtMost(posts, 1, from, to).toFixed(0).padStart(5)} ms, 0 for ${timeInFlightAtMost(posts, 0, from, to).toFixed(0).padStart(4)} ms   CPU ${seconds(cpuMs)}`,
      );
    }
    const lk = [...lkRuns].sort((a, b) => a.doneMs - b.doneMs)[Math.floor(lkRuns.length / 2)]!;
    console.log(
      `  Listkeeper's phases: submit ${lk.submitMs.toFixed(0)} ms (core calls before the first send: ${lk.callsBeforeFirstSend}), first send at ${lk.firstSendMs.toFixed(0)} ms, ` +
        `sending ${seconds(lk.lastSendMs - lk.firstSendMs)} in batches of 40, ` +
        `last result recorded ${(lk.lastRecordedMs - lk.lastSendMs).toFixed(0)} ms after the last send, done seen ${(lk.doneMs - lk.lastRecordedMs).toFixed(0)} ms after that`,
    );
    console.log(`verified: every Listkeeper run put all ${ADDRESSES} on the roster and its report says "subscribed" ${ADDRESSES} times`);
  } finally {
    await worker.stop();
  }
  // A core of its own: another bench finishing at the same time stops "bench" under this one.
}, "bench-mass-subscribe");
