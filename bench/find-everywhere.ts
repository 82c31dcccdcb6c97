/**
 * npm run bench:find-everywhere [-- --lists 500 --runs 15]
 * "Find a person everywhere" for one address over 2 Mailman servers with N lists each: core calls
 * and median time of the search and of its details, next to the raw floor of the same run (the
 * search's own REST calls sent with plain fetch, in parallel, no client, no limiter).
 */
import { rm } from "node:fs/promises";
import { parseArgs } from "node:util";
import pLimit from "p-limit";
import { coreDir, startLocalCore, stopLocalCore } from "../scripts/lib/local-core";
import { databaseLabel, median, rawCore, runBench } from "./support";

const { values } = parseArgs({ options: { lists: { type: "string", default: "500" }, runs: { type: "string", default: "15" } } });
const LISTS = Number(values.lists);
const RUNS = Number(values.runs);
const SECOND_CORE = "bench-find-2";
// Deleting a domain with 500 lists (the clean-up) takes longer than one call's default 15 s.
process.env.MAILMAN_TIMEOUT_MS ??= "300000";

runBench(async ({ tag, domain, target, client, core }) => {
  const { MailmanClient, withMailmanCallLog } = await import("@/lib/mailman");
  const { createTarget } = await import("@/lib/targets/targets");
  const { findPerson, findPersonDetails } = await import("@/lib/people/find-everywhere");
  const { parsePersonQuery } = await import("@/lib/people/person-query");

  const second = await startLocalCore({ name: SECOND_CORE });
  try {
    const domain2 = `bench2-${tag}.example.test`;
    const target2 = await createTarget({ name: `bench 2 ${tag}`, serverUrl: second.restUrl, adminUser: second.user, adminPassword: second.password, domain: domain2 });
    const client2 = new MailmanClient({ baseUrl: second.restUrl, user: second.user, password: second.password });
    const servers = [
      { client, domain, core: { restUrl: core.restUrl, user: core.user, password: core.password } },
      { client: client2, domain: domain2, core: { restUrl: second.restUrl, user: second.user, password: second.password } },
    ];

    const primary = `person-${tag}@people.example.test`;
    const alternate = `person-${tag}.alt@people.example.test`;
    const started = performance.now();
    for (const server of servers) {
      const limit = pLimit(4);
      const ids = await Promise.all(
        Array.from({ length: LISTS }, (_, i) => limit(() => server.client.createList({ fqdnListname: `find-${String(i).padStart(4, "0")}@${server.domain}`, styleName: "legacy-default" }))),
      );
      const location = await server.client.create("/users", { email: primary, display_name: "Bench Person" });
      await server.client.create(`/users/${location.split("/").pop()}/addresses`, { email: alternate });
      const flags = { preVerified: true, preConfirmed: true, preApproved: true };
      await server.client.subscribe({ listId: ids[0]!, subscriber: primary, ...flags });
      await server.client.subscribe({ listId: ids[1]!, subscriber: alternate, ...flags });
      await server.client.subscribe({ listId: ids[2]!, subscriber: primary, role: "owner", ...flags });
    }
    console.log(`setup: 2 servers × ${LISTS} lists, one person on 3 lists of each, in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const parsed = parsePersonQuery(primary);
    if (!("query" in parsed)) throw new Error(parsed.problem);
    const targetIds = [target.id, target2.id];

    async function measure(label: string, fn: () => Promise<unknown>, knownCalls?: number, runs = RUNS): Promise<number> {
      await fn(); // warm-up: connections, JIT
      const times: number[] = [];
      let calls = 0;
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        const { calls: log } = await withMailmanCallLog(fn);
        times.push(performance.now() - t0);
        calls = knownCalls ?? log.length;
      }
      const m = median(times);
      console.log(`${label.padEnd(62)} median ${m.toFixed(1).padStart(7)} ms   core calls ${String(calls).padStart(5)}`);
      return m;
    }

    /** The search's own calls with plain fetch: per server the user's addresses, then one members/find per address. */
    async function rawFloor(): Promise<void> {
      await Promise.all(
        servers.map(async (server) => {
          const request = rawCore(server.core);
          const enc = encodeURIComponent;
          const [user] = await Promise.all([
            request("GET", `/users/${enc(primary)}/addresses?count=500&page=1`),
            request("GET", `/members/find?subscriber=${enc(primary)}&count=1000&page=1`),
          ]);
          const others = ((user.json as { entries?: { email: string }[] }).entries ?? []).map((a) => a.email).filter((e) => e !== primary);
          await Promise.all(others.map((email) => request("GET", `/members/find?subscriber=${enc(email)}&count=1000&page=1`)));
        }),
      );
    }

    console.log(`\nfind everywhere, one address (2 addresses of its user), 2 servers × ${LISTS} lists, ${RUNS} runs each, ${databaseLabel()}`);
    // 2 servers × (user addresses + members/find for each of the 2 addresses).
    const floor = await measure("raw floor: the same REST calls, plain fetch (no client)", rawFloor, 2 * 3);
    const search = await measure("findPerson (budget: per server 1 + 1 per address)", () => findPerson(parsed.query, { targetIds }));
    const finding = await findPerson(parsed.query, { targetIds });
    await measure("findPersonDetails (held, requests, bans, delivery status)", () => findPersonDetails(finding));
    // The opt-in scan reads two collections per list: a few runs are enough to see its cost.
    await measure(`findPersonDetails, scan of every list (2 × ${LISTS} lists, 3 runs)`, () => findPersonDetails(finding, { scanAll: true }), undefined, 3);
    console.log(`\nsearch / raw floor: ${(search / floor).toFixed(2)}x`);
  } finally {
    // A throwaway core: stopped and deleted with its lists.
    await stopLocalCore(SECOND_CORE);
    await rm(coreDir(SECOND_CORE), { recursive: true, force: true });
  }
}, "bench-find-1");
