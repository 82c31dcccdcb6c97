/**
 * npm run bench:list-index [-- --lists 500 --runs 15]
 * Server time and REST calls of the list index with N lists on one target, and the REST calls of
 * a list page's guard, measured with the client's own instrumentation against a real core.
 */
import { parseArgs } from "node:util";
import pLimit from "p-limit";
import { median, runBench } from "./support";

const { values } = parseArgs({ options: { lists: { type: "string", default: "500" }, runs: { type: "string", default: "15" } } });
const LISTS = Number(values.lists);
const RUNS = Number(values.runs);

runBench(async ({ su, owner, domain, target, client }) => {
  const { loadListIndex } = await import("@/lib/lists/list-index");
  const { authorizeList } = await import("@/lib/auth/list-access");
  const { withMailmanCallLog } = await import("@/lib/mailman");

  const started = performance.now();
  const limit = pLimit(4);
  await Promise.all(
    Array.from({ length: LISTS }, (_, i) =>
      limit(() => client.createList({ fqdnListname: `bench-${String(i).padStart(4, "0")}@${domain}`, styleName: "legacy-default" })),
    ),
  );
  const firstList = `bench-0000.${domain}`;
  await client.subscribe({ listId: firstList, subscriber: owner.verifiedEmails[0]!, role: "owner", preVerified: true, preConfirmed: true, preApproved: true });
  console.log(`setup: ${LISTS} lists created in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  async function measure(label: string, fn: () => Promise<unknown>) {
    const times: number[] = [];
    let calls = 0;
    await fn(); // warm-up: connection pool, JIT
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const { calls: log } = await withMailmanCallLog(fn);
      times.push(performance.now() - t0);
      calls = log.length;
    }
    console.log(`${label.padEnd(58)} median ${median(times).toFixed(1).padStart(7)} ms   REST calls ${calls}`);
  }

  console.log(`\n${LISTS} lists on one target, ${RUNS} runs each (PGlite=${!process.env.DATABASE_URL})`);
  await measure("list index, superuser, page 1 of 25", () => loadListIndex(su, { page: 1, pageSize: 25, targetId: target.id }));
  await measure("list index, superuser, search 'bench-04'", () => loadListIndex(su, { q: "bench-04", page: 1, pageSize: 25, targetId: target.id }));
  await measure("list index, owner of one list (advertised + own)", () => loadListIndex(owner, { page: 1, pageSize: 25, targetId: target.id }));
  await measure("list page guard, owner (list + members/find)", () => authorizeList(owner, target.id, firstList, "administer"));
  await measure("list page guard, superuser (list only)", () => authorizeList(su, target.id, firstList, "administer"));
});
