/**
 * npm run bench:provision [-- --people 1000 --steady 0]
 * Provisioning next to its raw floor, in one run on one core (provisioning.md §11):
 *  1. first provisioning of N people into a new list: Listkeeper (list job: P1, P2, P3 per
 *     person, P4) vs the raw floor (POST /users + verify + POST preferred + POST /members per
 *     person, 4 in parallel) on a second list with other addresses. Target ≤ 1.2 × the floor.
 *  2. steady state: a reconcile of the unchanged list (of N, plus --steady more people provisioned
 *     first) vs the paged roster read alone. Target: ≤ 11 GETs, 0 writes, ≤ 1.1 × the read.
 *  3. one person's group change (added, then removed): core calls and time.
 */
import { parseArgs } from "node:util";
import pLimit from "p-limit";
import { databaseLabel, rawCore, runBench, seconds } from "./support";

const { values } = parseArgs({ options: { people: { type: "string", default: "1000" }, steady: { type: "string", default: "0" } } });
const N = Number(values.people);
const EXTRA = Number(values.steady);

runBench(async ({ core, su, target, tag }) => {
  const { getDb } = await import("@/db/client");
  const schema = await import("@/db/schema");
  const { createEmailList, createGroup, deleteMembership, getEmailList, putMembership } = await import("@/lib/registry/registry");
  const { runProvisioningJob } = await import("@/lib/provisioning/run-job");
  const { queueJobs } = await import("@/lib/provisioning/enqueue");
  const { withMailmanCallLog } = await import("@/lib/mailman/instrumentation");
  const { stopQueue } = await import("@/lib/jobs/queue");
  const db = await getDb();
  const raw = rawCore(core);
  void su;

  async function addPeople(groupId: number, count: number, prefix: string) {
    const emails = Array.from({ length: count }, (_, i) => `${prefix}${i}.${tag}@bench.example.test`);
    for (let i = 0; i < count; i += 1000) {
      const slice = emails.slice(i, i + 1000);
      const rows = await db
        .insert(schema.people)
        .values(slice.map((_, j) => ({ displayName: `Bench ${prefix}${i + j}` })))
        .returning({ id: schema.people.id });
      await db.insert(schema.emailAddresses).values(rows.map((r, j) => ({ personId: r.id, mail: slice[j]! })));
      await db.insert(schema.groupMemberships).values(rows.map((r) => ({ groupId, personId: r.id })));
    }
    return emails;
  }
  async function run(jobIds: readonly number[]) {
    const started = performance.now();
    const { calls } = await withMailmanCallLog(async () => {
      for (const id of jobIds) await runProvisioningJob(id, { workerId: "bench" });
    });
    return { ms: performance.now() - started, calls, writes: calls.filter((c) => c.method !== "GET") };
  }

  // 1. First provisioning -----------------------------------------------------------------------
  const group = (await createGroup({ name: `bench-${tag}`, description: "", status: "active", externalId: null })).value.id;
  await addPeople(group, N, "p");
  const list = await createEmailList({ targetId: target.id, name: `bench-${tag}`, description: "", status: "active", membershipMode: "group", membersGroupId: group, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: null });
  const first = await run(list.jobIds);
  const mailmanListId = (await getEmailList(list.value.id)).mailmanListId!;

  const floorList = `floor-${tag}@${target.domain}`;
  await raw("POST", "/lists", { fqdn_listname: floorList });
  const floorListId = `floor-${tag}.${target.domain}`;
  const limit = pLimit(4);
  let floorCalls = 0;
  const floorStart = performance.now();
  await Promise.all(
    Array.from({ length: N }, (_, i) =>
      limit(async () => {
        const email = `f${i}.${tag}@bench.example.test`;
        const created = await fetch(`${core.restUrl}/3.1/users`, {
          method: "POST",
          headers: { authorization: `Basic ${Buffer.from(`${core.user}:${core.password}`).toString("base64")}`, "content-type": "application/json" },
          body: JSON.stringify({ email, display_name: `Floor ${i}` }),
        });
        const userId = created.headers.get("location")!.split("/").pop()!;
        await raw("POST", `/addresses/${email}/verify`);
        await raw("POST", `/users/${userId}/preferred_address`, { email });
        await raw("POST", "/members", { list_id: floorListId, subscriber: userId, pre_verified: true, pre_confirmed: true, pre_approved: true, send_welcome_message: false });
        floorCalls += 4;
      }),
    ),
  );
  const floorMs = performance.now() - floorStart;

  // 2. Steady state -----------------------------------------------------------------------------
  if (EXTRA > 0) {
    await addPeople(group, EXTRA, "s");
    await run(await queueJobs([{ targetId: target.id, subjectType: "list", subjectId: list.value.id, action: "sync" }], { explicit: true }));
  }
  const members = N + EXTRA;
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
  console.log(`\nbench:provision — core ${core.restUrl}, ${databaseLabel()}, ${N} people (+${EXTRA} for the steady state)\n`);
  console.log("1. first provisioning of a new list");
  line(`  raw floor (POST /users, verify, preferred, /members; 4 ∥)`, floorMs, floorCalls, floorCalls);
  line(`  Listkeeper (list job: P1, P2, P3 ×${N}, P4)`, first.ms, first.calls.length, first.writes.length);
  console.log(`  ratio ${(first.ms / floorMs).toFixed(2)} × the floor (target ≤ 1.2)`);
  console.log(`2. steady-state reconcile of the unchanged ${members}-member list (median of 3)`);
  line(`  paged roster read alone (/members/find, count=1000)`, read, Math.ceil(members / 1000), 0);
  line(`  Listkeeper (list sync job)`, steady.ms, steady.calls.length, steady.writes.length);
  console.log(`  ratio ${(steady.ms / read).toFixed(2)} × the read (target ≤ 1.1); GETs ${steady.calls.length} (target ≤ 11), writes ${steady.writes.length} (target 0)`);
  console.log("3. one person's group change");
  line(`  added to the group (P5: P3 + subscribe)`, added.ms, added.calls.length, added.writes.length);
  line(`  removed from the group (P5: unsubscribe)`, removed.ms, removed.calls.length, removed.writes.length);
});
