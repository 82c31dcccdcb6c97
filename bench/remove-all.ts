/**
 * npm run bench:remove-all [-- --members 10000 --runs 1 --diagnose]
 * Remove-all of an N-member list through Listkeeper (startRemoveAll → a job worker in this
 * process → the job's end) side by side with the core's own bulk path done by hand on a list of
 * the same size: read the roster's addresses (1,000 a page), then `DELETE
 * /lists/{id}/roster/member` with 500 lower-cased addresses at a time, sequentially.
 * Target: Listkeeper ≤ 1.2 × the floor.
 *
 * The REST API subscribes one address per call, so the lists are seeded with the core's own
 * `mailman addmembers` (one transaction per list) when this process started the core, else with
 * raw POSTs 4 at a time. Seeding is timed separately and is not part of the figures.
 *
 * --diagnose: before the timed runs, read both seeded rosters three ways (raw with fields=email
 * as the floor does, raw with email and display_name as the job asks, and through the app's
 * client with its schema checks), to split the job's roster read into core and client cost.
 * Both lists are read alike, so neither variant gets warmer caches than the other.
 */
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { mailmanBin } from "../scripts/lib/local-core";
import { databaseLabel, median, rawCore, recordCoreCalls, runBench, seconds, sleep, timeInFlightAtMost, type TimedCall } from "./support";

const { values } = parseArgs({
  options: { members: { type: "string", default: "10000" }, runs: { type: "string", default: "1" }, diagnose: { type: "boolean", default: false } },
});
const MEMBERS = Number(values.members);
const RUNS = Number(values.runs);
const TARGET_RATIO = 1.2;
const POLL_MS = 50;
const FLOOR_PAGE = 1_000;
const FLOOR_CHUNK = 500;

const perThousand = (ms: number) => `${((ms / MEMBERS) * 1000).toFixed(0)} ms`;

/** `mailman addmembers` with the addresses on stdin: the whole file in one transaction. */
async function addMembersWithCli(config: string, fqdnListname: string, addresses: readonly string[]): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // As scripts/lib/local-core.ts does: a pyenv or virtualenv must not leak into Debian's python.
  for (const key of ["PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "MAILMAN_CONFIG_FILE", "MAILMAN_VAR_DIR"]) delete env[key];
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const child = spawn(mailmanBin, [...(asRoot ? ["--run-as-root"] : []), "-C", config, "addmembers", "--no-welcome-msg", "-", fqdnListname], {
    stdio: ["pipe", "ignore", "pipe"],
    env,
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(`${addresses.join("\n")}\n`);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", resolve);
  });
  if (code !== 0 || stderr.trim() !== "") throw new Error(`mailman addmembers ${fqdnListname} exited ${code}: ${stderr.trim().slice(0, 500)}`);
}

interface FloorRun {
  totalMs: number;
  cpuMs: number;
  readMs: number;
  deleteMs: number;
  pages: number;
  deletes: number;
}

interface ListkeeperRun {
  totalMs: number;
  /** CPU time of this process (user + system): app, worker and, on PGlite, the database. */
  cpuMs: number;
  submitMs: number;
  /** From startRemoveAll's return to the worker's first roster page. */
  pickupMs: number;
  readMs: number;
  pages: number;
  /** From the last roster page to the first DELETE: insertItems, setJobTotal, the first claim. */
  collectMs: number;
  /** From the first DELETE's start to the last one's end. */
  deleteSpanMs: number;
  deleteCallMs: number;
  deletes: number;
  /** Within the DELETE span, time with no core call in flight: recordResults + the next claim. */
  betweenDeletesMs: number;
  /** From the last DELETE's end to `done` seen: the last record, the end checks, finishJob, audit, polling. */
  finishMs: number;
  lastRecordedMs: number;
  otherCalls: TimedCall[];
}

runBench(async ({ core, coreConfig, su, domain, target, client }) => {
  const { startWorker } = await import("@/lib/jobs/worker");
  const { authorizeList } = await import("@/lib/auth/list-access");
  const { startRemoveAll } = await import("@/lib/members/mass-operations");
  const { removeAllStartSchema } = await import("@/lib/members/mass-input");
  const { getBulkJob, jobProgress } = await import("@/lib/members/bulk-store");

  const request = rawCore(core);
  const addresses = Array.from({ length: MEMBERS }, (_, i) => `member${String(i).padStart(6, "0")}@remove.example`);

  async function seed(listId: string, fqdnListname: string): Promise<void> {
    if (coreConfig) {
      await addMembersWithCli(coreConfig, fqdnListname, addresses);
    } else {
      let next = 0;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < addresses.length) {
            const email = addresses[next++]!;
            const body = { list_id: listId, subscriber: email, pre_verified: true, pre_confirmed: true, pre_approved: true, send_welcome_message: false };
            const { status, json } = await request("POST", "/members", body);
            if (status !== 201) throw new Error(`POST /members ${email}: ${status} ${JSON.stringify(json)}`);
          }
        }),
      );
    }
    const size = await client.rosterSize(listId, "member");
    if (size !== MEMBERS) throw new Error(`seeding ${listId}: ${size} members, expected ${MEMBERS}`);
  }

  async function floor(listId: string): Promise<FloorRun> {
    const enc = encodeURIComponent(listId);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const emails: string[] = [];
    let pages = 0;
    for (let page = 1; ; page++) {
      const { status, json } = await request("GET", `/lists/${enc}/roster/member?fields=email&count=${FLOOR_PAGE}&page=${page}`);
      if (status !== 200) throw new Error(`GET roster page ${page}: ${status}`);
      pages++;
      const data = json as { total_size: number; entries?: { email: string }[] };
      const entries = data.entries ?? [];
      for (const e of entries) emails.push(e.email.toLowerCase());
      if (emails.length >= data.total_size || entries.length === 0) break;
    }
    const read = performance.now();
    let deletes = 0;
    for (let i = 0; i < emails.length; i += FLOOR_CHUNK) {
      const chunk = emails.slice(i, i + FLOOR_CHUNK);
      const { status, json } = await request("DELETE", `/lists/${enc}/roster/member`, { emails: chunk });
      deletes++;
      const answer = json as Record<string, boolean>;
      if (status !== 200 || chunk.some((e) => answer[e] !== true)) throw new Error(`DELETE roster chunk ${deletes}: ${status}`);
    }
    const end = performance.now();
    const cpu = process.cpuUsage(cpu0);
    return { totalMs: end - t0, cpuMs: (cpu.user + cpu.system) / 1000, readMs: read - t0, deleteMs: end - read, pages, deletes };
  }

  /** Reads of a whole roster, 1,000 a page: raw with `fields`, or through the app's client. */
  async function readRoster(listId: string, how: "email" | "email+display_name" | "client"): Promise<number> {
    const t0 = performance.now();
    if (how === "client") {
      await client.fullRoster(listId, "member", ["email", "display_name"], 1_000);
    } else {
      const fields = how === "email" ? "fields=email" : "fields=email&fields=display_name";
      let seen = 0;
      for (let page = 1; ; page++) {
        const { json } = await request("GET", `/lists/${encodeURIComponent(listId)}/roster/member?${fields}&count=1000&page=${page}`);
        const data = json as { total_size: number; entries?: unknown[] };
        seen += data.entries?.length ?? 0;
        if (seen >= data.total_size || !data.entries?.length) break;
      }
    }
    return performance.now() - t0;
  }

  const recordedAt = new Map<number, number>();
  const worker = await startWorker({ onBatch: (jobId) => recordedAt.set(jobId, performance.now()) });

  async function listkeeper(listId: string): Promise<{ jobId: number; run: ListkeeperRun }> {
    const access = await authorizeList(su, target.id, listId, "administer");
    // The number the owner types: the roster's size as the page shows it.
    const confirmCount = await client.rosterSize(listId, "member");
    const log = await recordCoreCalls();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const input = removeAllStartSchema.parse({ targetId: target.id, listId, options: {}, confirmCount });
    const { jobId } = await startRemoveAll(access, input);
    const submitted = performance.now();
    let status: string | undefined;
    for (;;) {
      status = (await getBulkJob(jobId))?.status;
      if (status === "done" || status === "failed" || status === "cancelled") break;
      await sleep(POLL_MS);
    }
    const done = performance.now();
    const cpu = process.cpuUsage(cpu0);
    log.stop();
    if (status !== "done") throw new Error(`job ${jobId} ended ${status}: ${(await getBulkJob(jobId))?.error}`);
    const pages = log.calls.filter((c) => c.method === "GET" && c.path.endsWith("/roster/member") && c.start > submitted);
    const deletes = log.calls.filter((c) => c.method === "DELETE" && c.path.endsWith("/roster/member"));
    const firstPage = Math.min(...pages.map((c) => c.start));
    const lastPage = Math.max(...pages.map((c) => c.end));
    const firstDelete = Math.min(...deletes.map((c) => c.start));
    const lastDelete = Math.max(...deletes.map((c) => c.end));
    return {
      jobId,
      run: {
        totalMs: done - t0,
        cpuMs: (cpu.user + cpu.system) / 1000,
        submitMs: submitted - t0,
        pickupMs: firstPage - submitted,
        readMs: lastPage - firstPage,
        pages: pages.length,
        collectMs: firstDelete - lastPage,
        deleteSpanMs: lastDelete - firstDelete,
        deleteCallMs: deletes.reduce((sum, c) => sum + (c.end - c.start), 0),
        deletes: deletes.length,
        betweenDeletesMs: timeInFlightAtMost(deletes, 0, firstDelete, lastDelete),
        finishMs: done - lastDelete,
        lastRecordedMs: (recordedAt.get(jobId) ?? NaN) - t0,
        otherCalls: log.calls.filter((c) => !pages.includes(c) && !deletes.includes(c)),
      },
    };
  }

  try {
    // Warm-up, not timed: connections, JIT, the worker's first job.
    const warmFqdn = `warm@${domain}`;
    const warm = await client.createList({ fqdnListname: warmFqdn });
    for (const email of addresses.slice(0, 20)) {
      await client.subscribe({ listId: warm, subscriber: email, preVerified: true, preConfirmed: true, preApproved: true, sendWelcomeMessage: false });
    }
    await listkeeper(warm);

    const [l1, l5, l15] = loadavg().map((x) => x.toFixed(2));
    console.log(`Remove-all of ${MEMBERS} members, ${RUNS} run(s); ${databaseLabel()}; core ${core.restUrl}; load average ${l1} ${l5} ${l15}`);

    const floorRuns: FloorRun[] = [];
    const lkRuns: ListkeeperRun[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const floorFqdn = `floor-${run}@${domain}`;
      const lkFqdn = `listkeeper-${run}@${domain}`;
      const floorList = await client.createList({ fqdnListname: floorFqdn });
      const lkList = await client.createList({ fqdnListname: lkFqdn });
      const seeding = performance.now();
      await seed(floorList, floorFqdn);
      await seed(lkList, lkFqdn);
      console.log(
        `run ${run} setup (not timed): 2 lists of ${MEMBERS} members seeded in ${seconds(performance.now() - seeding)} (${coreConfig ? "mailman addmembers" : "raw POST /members, 4 in parallel"})`,
      );

      if (values.diagnose) {
        const hows = ["email", "email+display_name", "client"] as const;
        const took: Record<(typeof hows)[number], number[]> = { email: [], "email+display_name": [], client: [] };
        for (const listId of [floorList, lkList]) for (const how of hows) took[how].push(await readRoster(listId, how));
        const fmt = (xs: number[]) => xs.map((x) => `${x.toFixed(0)} ms`).join(" / ");
        console.log(
          `  diagnose, whole roster of each list (floor's / Listkeeper's): raw fields=email ${fmt(took.email)}; ` +
            `raw fields=email,display_name ${fmt(took["email+display_name"])}; app client, email+display_name with schema checks ${fmt(took.client)}`,
        );
      }

      // Whoever goes first alternates per run.
      const order = run % 2 === 1 ? (["floor", "listkeeper"] as const) : (["listkeeper", "floor"] as const);
      for (const variant of order) {
        if (variant === "floor") {
          const f = await floor(floorList);
          floorRuns.push(f);
          console.log(`  floor:      ${seconds(f.totalMs)} (roster read ${f.pages} pages ${seconds(f.readMs)}, ${f.deletes} DELETEs ${seconds(f.deleteMs)})`);
        } else {
          const { jobId, run: lk } = await listkeeper(lkList);
          lkRuns.push(lk);
          const job = await getBulkJob(jobId);
          const { outcomes, done } = await jobProgress({ id: jobId, total: job!.total });
          if (job!.total !== MEMBERS || done !== MEMBERS || outcomes.removed !== MEMBERS) throw new Error(`job ${jobId}: total ${job!.total}, report ${JSON.stringify(outcomes)}`);
          console.log(`  Listkeeper: ${seconds(lk.totalMs)} (last result recorded at ${seconds(lk.lastRecordedMs)}); report: ${MEMBERS} "removed"`);
        }
      }
      for (const listId of [floorList, lkList]) {
        const left = await client.rosterSize(listId, "member");
        if (left !== 0) throw new Error(`${listId}: ${left} members left`);
      }
    }

    const floorMs = median(floorRuns.map((r) => r.totalMs));
    const lkMs = median(lkRuns.map((r) => r.totalMs));
    const ratio = lkMs / floorMs;
    console.log(`\n${"variant".padEnd(50)} ${"median".padStart(9)}  ${"per 1,000".padStart(9)}   runs`);
    console.log(`${"floor: roster read + DELETE roster/member × 500".padEnd(50)} ${seconds(floorMs).padStart(9)}  ${perThousand(floorMs).padStart(9)}   ${floorRuns.map((r) => (r.totalMs / 1000).toFixed(2)).join(" ")}`);
    console.log(`${"Listkeeper: startRemoveAll → job done".padEnd(50)} ${seconds(lkMs).padStart(9)}  ${perThousand(lkMs).padStart(9)}   ${lkRuns.map((r) => (r.totalMs / 1000).toFixed(2)).join(" ")}`);
    console.log(`\nListkeeper / floor: ${ratio.toFixed(2)}×   target ≤ ${TARGET_RATIO}×: ${ratio <= TARGET_RATIO ? "met" : "NOT met"}`);

    const f = [...floorRuns].sort((a, b) => a.totalMs - b.totalMs)[Math.floor(floorRuns.length / 2)]!;
    const lk = [...lkRuns].sort((a, b) => a.totalMs - b.totalMs)[Math.floor(lkRuns.length / 2)]!;
    const ms = (x: number) => `${x.toFixed(0)} ms`;
    console.log(`\nWhere the time goes (median runs)                floor   Listkeeper`);
    const row = (label: string, a: string, b: string) => console.log(`  ${label.padEnd(46)} ${a.padStart(9)}   ${b.padStart(9)}`);
    row(`submit (${lk.otherCalls.length} other core calls)`, "—", ms(lk.submitMs));
    row("job picked up → first roster page", "—", ms(lk.pickupMs));
    row(`roster read (${f.pages} / ${lk.pages} pages)`, ms(f.readMs), ms(lk.readMs));
    row("roster → first DELETE (items inserted, claim)", "—", ms(lk.collectMs));
    row(`DELETE calls (${f.deletes} / ${lk.deletes}), core time`, ms(f.deleteMs), ms(lk.deleteCallMs));
    row("between DELETEs (record + next claim)", "—", ms(lk.betweenDeletesMs));
    row("last DELETE → done seen", "—", ms(lk.finishMs));
    row("total", ms(f.totalMs), ms(lk.totalMs));
    row("CPU time of this process", ms(f.cpuMs), ms(lk.cpuMs));
    console.log(`verified: both rosters empty after each run; each job's report has ${MEMBERS} "removed"`);
  } finally {
    await worker.stop();
  }
  // A core of its own: another bench finishing at the same time stops "bench" under this one.
}, "bench-remove-all");
