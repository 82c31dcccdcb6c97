/**
 * npm run bench:my-lists [-- --advertised 200 --runs 15]
 * "My lists" for a member with 2 verified addresses and 20 subscriptions over 2 Mailman servers
 * (the first with 200 advertised lists): core calls and median server time of the page and of
 * one toggle, next to a raw floor (the same REST calls sent bare, no Listkeeper logic) of the same
 * run. Postorius' figures for its subscriptions page are printed as context only: they were
 * measured on its own machine (console.md §9).
 */
import { parseArgs } from "node:util";
import pLimit from "p-limit";
import { startLocalCore, stopLocalCore } from "../scripts/lib/local-core";
import { median, runBench } from "./support";

const { values } = parseArgs({ options: { advertised: { type: "string", default: "200" }, runs: { type: "string", default: "15" } } });
const ADVERTISED = Number(values.advertised);
const RUNS = Number(values.runs);

runBench(async ({ domain, target, client, tag }) => {
  const { createUser, loadViewer } = await import("@/lib/auth/users");
  const { getDb } = await import("@/db/client");
  const { userEmails } = await import("@/db/schema");
  const { createTarget, clientForTarget } = await import("@/lib/targets/targets");
  const { withMailmanCallLog } = await import("@/lib/mailman");
  const { loadMyLists } = await import("@/lib/self-service/my-lists");
  const { subscribe, unsubscribe } = await import("@/lib/self-service/subscriptions");
  const { personOf } = await import("@/lib/identity/addresses");
  const { ensureCoreUser } = await import("@/lib/identity/core-user");
  const { membershipsOfAddress } = await import("@/lib/mailman/users");

  // The second server: BENCH_SECOND_URL/_USER/_PASSWORD name a running core, else one is started.
  const given = process.env.BENCH_SECOND_URL && process.env.BENCH_SECOND_USER && process.env.BENCH_SECOND_PASSWORD;
  const second = given
    ? { restUrl: process.env.BENCH_SECOND_URL!, user: process.env.BENCH_SECOND_USER!, password: process.env.BENCH_SECOND_PASSWORD! }
    : await startLocalCore({ name: "bench-my-lists-2" }).catch(async (error: unknown) => {
        await stopLocalCore("bench-my-lists-2");
        throw error;
      });
  try {
    const domain2 = `bench2-${tag}.example.test`;
    const target2 = await createTarget({ name: `bench second ${tag}`, serverUrl: second.restUrl, adminUser: second.user, adminPassword: second.password, domain: domain2 });
    const { client: client2 } = await clientForTarget(target2.id);

    const started = performance.now();
    const limit = pLimit(4);
    const lists1 = await Promise.all(
      Array.from({ length: ADVERTISED }, (_, i) => limit(() => client.createList({ fqdnListname: `adv-${String(i).padStart(4, "0")}@${domain}`, styleName: "legacy-default" }))),
    );
    const lists2 = await Promise.all(Array.from({ length: 8 }, (_, i) => limit(() => client2.createList({ fqdnListname: `two-${i}@${domain2}`, styleName: "legacy-default" }))));

    const account = await createUser({ email: `bench-member-${tag}@example.test`, password: "bench password 1", displayName: "Bench Member" });
    await (await getDb()).insert(userEmails).values({ userId: account.id, email: `bench-member-alt-${tag}@example.test`, verified: true, verifiedAt: new Date() });
    const member = (await loadViewer(account.id))!;
    const [primary, alt] = [member.primaryEmail!, member.verifiedEmails.find((e) => e !== member.primaryEmail)!];
    await ensureCoreUser(client, target.id, personOf(member));
    await ensureCoreUser(client2, target2.id, personOf(member));
    // 20 subscriptions: 14 on the big server, 6 on the second; primary and specific addresses mixed.
    for (const [i, listId] of lists1.slice(0, 14).entries()) await subscribe(member, { targetId: target.id, listId, address: i % 2 ? alt : "primary" });
    for (const [i, listId] of lists2.slice(0, 6).entries()) await subscribe(member, { targetId: target2.id, listId, address: i % 2 ? alt : "primary" });
    console.log(`setup: ${ADVERTISED} + ${lists2.length} lists, 20 subscriptions in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const page = await loadMyLists(member);
    const subscribed = page.entries.filter((e) => e.state === "subscribed").length;
    if (subscribed !== 20) throw new Error(`expected 20 subscriptions on the page, saw ${subscribed}`);

    async function measure(label: string, fn: () => Promise<unknown>): Promise<{ ms: number; calls: number }> {
      await fn(); // warm-up
      const times: number[] = [];
      let calls = 0;
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const { calls: log } = await withMailmanCallLog(fn);
        times.push(performance.now() - t0);
        calls = log.length;
      }
      const ms = median(times);
      console.log(`${label.padEnd(62)} median ${ms.toFixed(1).padStart(7)} ms   core calls ${calls}`);
      return { ms, calls };
    }

    console.log(`\nMember with 2 verified addresses, 20 subscriptions, 2 servers (${ADVERTISED} + ${lists2.length} lists); ${RUNS} runs each`);
    await measure("raw floor: the page's REST calls sent bare, in parallel", () =>
      Promise.all([client.allLists(), client2.allLists(), ...[primary, alt].flatMap((e) => [membershipsOfAddress(client, e), membershipsOfAddress(client2, e)])]),
    );
    await measure("My lists page (loadMyLists)", () => loadMyLists(member));
    const toggleList = lists1[20]!;
    // A toggle's own calls and time, its set-up and clean-up outside the measured part.
    async function measureToggle(label: string, prepare: () => Promise<string | null>, toggle: (memberId: string | null) => Promise<unknown>, cleanUp: () => Promise<void>) {
      const times: number[] = [];
      let calls = 0;
      for (let i = 0; i <= RUNS; i++) {
        const memberId = await prepare();
        const t0 = performance.now();
        const { calls: log } = await withMailmanCallLog(() => toggle(memberId));
        if (i > 0) times.push(performance.now() - t0); // the first is a warm-up
        calls = log.length;
        await cleanUp();
      }
      console.log(`${label.padEnd(62)} median ${median(times).toFixed(1).padStart(7)} ms   core calls ${calls}`);
    }
    const bareSubscribe = async () => {
      const r = await client.subscribe({ listId: toggleList, subscriber: alt, preVerified: true, preConfirmed: true, preApproved: true });
      return r.kind === "subscribed" ? r.memberId : null;
    };
    const bareRemoveAll = async () => {
      const found = await client.findMembers({ listId: toggleList, subscriber: alt }, { count: 5, page: 1 });
      for (const m of found.entries) await client.deleteMember(m.member_id!);
    };
    await measureToggle("raw floor: POST /members, bare", async () => null, bareSubscribe, bareRemoveAll);
    await measureToggle("toggle: subscribe with a confirmed address", async () => null, () => subscribe(member, { targetId: target.id, listId: toggleList, address: alt }), bareRemoveAll);
    await measureToggle("toggle: unsubscribe", bareSubscribe, (memberId) => unsubscribe(member, { targetId: target.id, listId: toggleList, memberId: memberId! }), bareRemoveAll);
    console.log("\nContext, not comparable: Postorius' subscriptions page, 43 core calls, 119 ms (measured on its own machine; console.md §9).");
    await client2.deleteDomain(domain2);
  } finally {
    if (!given) await stopLocalCore("bench-my-lists-2");
  }
});
