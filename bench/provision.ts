/**
 * npm run bench:provision [-- --people 1000 --steady 0 --seed 9000 --core bench]
 * Provisioning next to its raw floor, in one run on one core (provisioning.md §11):
 *  1. first provisioning of N people into a new list: Listkeeper (list job: P1, P2, P3 per
 *     person, P4) vs the raw floor (POST /users + verify + POST preferred + POST /members per
 *     person, 4 in parallel) on a second list with other addresses. Target ≤ 1.2 × the floor.
 *     `--people 0` skips it (the list is still created, empty, for the steady state).
 *  2. steady state: a reconcile of the unchanged list vs the paged roster read alone. Target:
 *     ≤ 11 GETs, 0 writes, ≤ 1.1 × the read. The list holds the N people, plus `--steady` more
 *     provisioned by Listkeeper first (4 core calls each), plus `--seed` more written straight
 *     into the core by its own Python API (bench/seed-members.py: a user per person, verified
 *     preferred address, as_user membership, exactly what provisioning leaves) with their
 *     mappings and sync hashes stored as the executor stores them. `--seed` is how a
 *     10,000-member list is set up without 40,000 REST writes (23 min on a 2-core machine at load
 *     25–30, where the REST writes ran at about one person a second); it needs a core this bench
 *     starts (MAILMAN_TEST_* unset).
 *  3. one person's group change (added, then removed): core calls and time.
 * `--core NAME` names the throwaway core (two benches of one worktree at once need two names).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import pLimit from "p-limit";
import { eq } from "drizzle-orm";
import { databaseLabel, rawCore, runBench, seconds, sleep } from "./support";

const { values } = parseArgs({
  options: { people: { type: "string", default: "1000" }, steady: { type: "string", default: "0" }, seed: { type: "string", default: "0" }, core: { type: "string", default: "bench" } },
});
const N = Number(values.people);
const EXTRA = Number(values.steady);
const SEED = Number(values.seed);

/** Runs bench/seed-members.py with the core's own interpreter: "address\tuser id" per person. */
function seedCore(config: string, listId: string, people: readonly { email: string; name: string }[]): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/python3", [path.join(import.meta.dirname, "seed-members.py"), config, listId], { stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`seed-members.py exited with ${code}`));
      resolve(new Map(out.trim().split("\n").map((line) => line.split("\t") as [string, string])));
    });
    child.stdin.end(people.map((p) => `${p.email}\t${p.name}`).join("\n") + "\n");
  });
}

runBench(async ({ core, coreConfig, su, target, tag }) => {
  const { getDb } = await import("@/db/client");
  const schema = await import("@/db/schema");
  const { createEmailList, createGroup, deleteMembership, getEmailList, putMembership } = await import("@/lib/registry/registry");
  const { runProvisioningJob } = await import("@/lib/provisioning/run-job");
  const { getJob } = await import("@/lib/provisioning/job-store");
  const { queueJobs } = await import("@/lib/provisioning/enqueue");
  const { withMailmanCallLog } = await import("@/lib/mailman/instrumentation");
  const { stopQueue } = await import("@/lib/jobs/queue");
  const { syncHash } = await import("@/lib/provisioning/diff");
  const db = await getDb();
  const raw = rawCore(core);
  void su;

  async function addPeople(groupId: number, count: number, prefix: string) {
    const emails = Array.from({ length: count }, (_, i) => `${prefix}${i}.${tag}@bench.example.test`);
    const added: { id: number; email: string; name: string }[] = [];
    for (let i = 0; i < count; i += 1000) {
      const slice = emails.slice(i, i + 1000);
      const rows = await db
        .insert(schema.people)
        .values(slice.map((_, j) => ({ displayName: `Bench ${prefix}${i + j}` })))
        .returning({ id: schema.people.id, name: schema.people.displayName });
      await db.insert(schema.emailAddresses).values(rows.map((r, j) => ({ personId: r.id, mail: slice[j]! })));
      await db.insert(schema.groupMemberships).values(rows.map((r) => ({ groupId, personId: r.id })));
      rows.forEach((r, j) => added.push({ id: r.id, email: slice[j]!, name: r.name }));
    }
    return added;
  }
  // A loaded machine makes the core's SQLite answer "database is locked" (500) now and then: the
  // bench's target retries after 1 s (queue_on_error) and the floor retries its calls the same way,
  // so both sides pay for such hiccups alike; the retries are counted and printed.
  await db.update(schema.provisionerTargets).set({ mode: "queue_on_error", retryIntervalS: 1, maxRetry: 100 }).where(eq(schema.provisionerTargets.id, target.id));
  async function run(jobIds: readonly number[]) {
    const started = performance.now();
    let retries = 0;
    const { calls } = await withMailmanCallLog(async () => {
      for (const id of jobIds) {
        for (;;) {
          const result = await runProvisioningJob(id, { workerId: "bench" });
          if (result === "retry") retries += 1;
          if ((await getJob(id))?.status !== "queued") break;
          await sleep(200);
        }
      }
    });
    return { ms: performance.now() - started, calls, writes: calls.filter((c) => c.method !== "GET"), retries };
  }
  let floorRetries = 0;
  /** One floor call, repeated after 1 s while the core answers 5xx or is locked. */
  async function floorCall(method: string, path: string, body?: unknown) {
    for (;;) {
      const answer = await fetch(`${core.restUrl}/3.1${path}`, {
        method,
        headers: { authorization: `Basic ${Buffer.from(`${core.user}:${core.password}`).toString("base64")}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await answer.text();
      // Mailman 3.3 answers 400 "database is locked" as well as 5xx (lib/mailman/errors.ts).
      if (answer.status < 500 && !(answer.status === 400 && text.includes("database is locked"))) return answer;
      floorRetries += 1;
      await sleep(1000);
    }
  }

  // 1. First provisioning -----------------------------------------------------------------------
  const group = (await createGroup({ name: `bench-${tag}`, description: "", status: "active", externalId: null })).value.id;
  await addPeople(group, N, "p");
  const list = await createEmailList({ targetId: target.id, name: `bench-${tag}`, description: "", status: "active", membershipMode: "group", membersGroupId: group, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: null });
  const first = await run(list.jobIds);
  const mailmanListId = (await getEmailList(list.value.id)).mailmanListId!;
  const rosterSize = async () => ((await raw("GET", `/members/find?list_id=${mailmanListId}&role=member&count=1&page=1`)).json as { total_size: number }).total_size;
  const firstRoster = await rosterSize();
  let floorMs = NaN;
  let floorCalls = 0;
  if (N > 0) {
    const floorList = `floor-${tag}@${target.domain}`;
    await floorCall("POST", "/lists", { fqdn_listname: floorList });
    const floorListId = `floor-${tag}.${target.domain}`;
    const limit = pLimit(4);
    const floorStart = performance.now();
    await Promise.all(
      Array.from({ length: N }, (_, i) =>
        limit(async () => {
          const email = `f${i}.${tag}@bench.example.test`;
          const created = await floorCall("POST", "/users", { email, display_name: `Floor ${i}` });
          const userId = created.headers.get("location")!.split("/").pop()!;
          await floorCall("POST", `/addresses/${email}/verify`);
          await floorCall("POST", `/users/${userId}/preferred_address`, { email });
          await floorCall("POST", "/members", { list_id: floorListId, subscriber: userId, pre_verified: true, pre_confirmed: true, pre_approved: true, send_welcome_message: false });
          floorCalls += 4;
        }),
      ),
    );
    floorMs = performance.now() - floorStart;
  }

  // 2. Steady state -----------------------------------------------------------------------------
  if (EXTRA > 0) {
    await addPeople(group, EXTRA, "s");
    await run(await queueJobs([{ targetId: target.id, subjectType: "list", subjectId: list.value.id, action: "sync" }], { explicit: true }));
  }
  let seedMs = 0;
  if (SEED > 0) {
    if (!coreConfig) throw new Error("--seed writes into the core's database: run it on a core this bench starts (MAILMAN_TEST_* unset).");
    const seedStart = performance.now();
    const seeded = await addPeople(group, SEED, "m");
    const userIds = await seedCore(coreConfig, mailmanListId, seeded);
    const policy = `${target.syncDisplayName}:${target.deleteStaleAddresses}`;
    for (let i = 0; i < seeded.length; i += 1000) {
      await db.insert(schema.coreUsers).values(
        seeded.slice(i, i + 1000).map((p) => ({
          targetId: target.id,
          personId: p.id,
          mailmanUserId: userIds.get(p.email)!,
          intentEmail: p.email,
          syncHash: syncHash({ displayName: p.name, addresses: [p.email], preferred: p.email, policy }),
          lastSyncedAt: new Date(),
        })),
      );
    }
    seedMs = performance.now() - seedStart;
  }
  const members = N + EXTRA + SEED;
  const steadyRuns = [];
  const readRuns = [];
  for (let i = 0; i < 3; i++) {
    const readStart = performance.now();
    for (let page = 1; ; page++) {
      const r = await raw("GET", `/members/find?list_id=${mailmanListId}&fields=member_id&fields=email&fields=role&fields=user&fields=subscription_mode&count=1000&page=${page}`);
      if (page * 1000 >= (r.json as { total_size: number }).total_size) break;
    }
    readRuns.push(performance.now() - readStart);
    steadyRuns.push(await run(await queueJobs([{ targetId: target.id, subjectType: "list", subjectId: list.value.id, action: "sync" }], { explicit: true })));
  }
  const steady = steadyRuns.sort((a, b) => a.ms - b.ms)[1]!;
  const read = [...readRuns].sort((a, b) => a - b)[1]!;

  // 3. One person's group change ----------------------------------------------------------------
  const [newcomer] = await db.insert(schema.people).values({ displayName: "Newcomer" }).returning({ id: schema.people.id });
  await db.insert(schema.emailAddresses).values({ personId: newcomer!.id, mail: `newcomer.${tag}@bench.example.test` });
  const added = await run((await putMembership(group, newcomer!.id, { member: true, owner: false })).jobIds);
  const removed = await run((await deleteMembership(group, newcomer!.id)).jobIds);
  await stopQueue().catch(() => {});

  const line = (label: string, ms: number, calls: number, writes: number | string) => console.log(`${label.padEnd(58)} ${seconds(ms).padStart(9)} ${String(calls).padStart(7)} calls ${String(writes).padStart(7)} writes`);
  console.log(`\nbench:provision — core ${core.restUrl}, ${databaseLabel()}, ${N} people (+${EXTRA} provisioned, +${SEED} seeded for the steady state)\n`);
  if (N > 0) {
    console.log("1. first provisioning of a new list");
    line(`  raw floor (POST /users, verify, preferred, /members; 4 ∥)`, floorMs, floorCalls, floorCalls);
    line(`  Listkeeper (list job: P1, P2, P3 ×${N}, P4)`, first.ms, first.calls.length, first.writes.length);
    console.log(`  ratio ${(first.ms / floorMs).toFixed(2)} × the floor (target ≤ 1.2); 5xx retries: floor ${floorRetries}, Listkeeper ${first.retries}`);
    console.log(`  roster after Listkeeper's run: ${firstRoster} members for ${N} people${firstRoster === N ? " (exact)" : " — NOT EXACT"}`);
  }
  if (SEED > 0) console.log(`(${SEED} members seeded through the core's Python API in ${seconds(seedMs)})`);
  console.log(`2. steady-state reconcile of the unchanged ${members}-member list (median of 3)`);
  line(`  paged roster read alone (/members/find, count=1000)`, read, Math.ceil(members / 1000), 0);
  line(`  Listkeeper (list sync job)`, steady.ms, steady.calls.length, steady.writes.length);
  console.log(`  runs: read ${readRuns.map((ms) => seconds(ms)).join(", ")}; Listkeeper ${steadyRuns.map((r) => seconds(r.ms)).join(", ")}`);
  console.log(`  ratio ${(steady.ms / read).toFixed(2)} × the read (target ≤ 1.1); GETs ${steady.calls.length} (target ≤ 11), writes ${steady.writes.length} (target 0)`);
  console.log("3. one person's group change");
  line(`  added to the group (P5: P3 + subscribe)`, added.ms, added.calls.length, added.writes.length);
  line(`  removed from the group (P5: unsubscribe)`, removed.ms, removed.calls.length, removed.writes.length);
}, values.core);
