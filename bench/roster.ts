/**
 * npm run bench:roster [-- --members 10000 --runs 15]
 * Core calls and server time of a roster page view (guard + roster) and of a search and a
 * filtered view, then the wall time, core calls and peak RSS of a full CSV export, with N members
 * on one list of a real core. Setup subscribes 4 at a time (about 1–2 min for 10 000).
 */
import { parseArgs } from "node:util";
import pLimit from "p-limit";
import { median, runBench } from "./support";

const { values } = parseArgs({ options: { members: { type: "string", default: "10000" }, runs: { type: "string", default: "15" } } });
const MEMBERS = Number(values.members);
const RUNS = Number(values.runs);

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

runBench(async ({ owner, domain, target, client }) => {
  const { authorizeList } = await import("@/lib/auth/list-access");
  const { withMailmanCallLog } = await import("@/lib/mailman");
  const { loadRoster, parseRosterQuery } = await import("@/lib/members/roster");
  const { rosterCsvLines } = await import("@/lib/members/csv-export");
  const { patchMemberPreferences } = await import("@/lib/mailman/members");

  const listId = await client.createList({ fqdnListname: `roster@${domain}` });
  await client.subscribe({ listId, subscriber: owner.verifiedEmails[0]!, role: "owner", preVerified: true, preConfirmed: true, preApproved: true });

  const started = performance.now();
  const limit = pLimit(4);
  const ids: string[] = [];
  await Promise.all(
    Array.from({ length: MEMBERS }, (_, i) =>
      limit(async () => {
        const n = String(i).padStart(5, "0");
        const result = await client.subscribe({
          listId,
          subscriber: `member${n}@bench.example`,
          displayName: `Bench Member ${n}`,
          preVerified: true,
          preConfirmed: true,
          preApproved: true,
          sendWelcomeMessage: false,
        });
        if (result.kind === "subscribed" && i % 100 === 0) ids.push(result.memberId);
      }),
    ),
  );
  // 1 % disabled by bounces, so the export's status look-up has something to find.
  for (const id of ids) await patchMemberPreferences(client, id, { delivery_status: "by_bounces" });
  console.log(`setup: ${MEMBERS} members subscribed in ${((performance.now() - started) / 1000).toFixed(1)} s (${ids.length} disabled by bounces)`);

  // The guard's share, measured rather than assumed: the list and one members/find per verified
  // address of the owner (one here).
  const guardCalls = (await withMailmanCallLog(() => authorizeList(owner, target.id, listId, "administer"))).calls.length;

  async function measure(label: string, raw: Record<string, string>) {
    const times: number[] = [];
    let calls = 0;
    let total = 0;
    const view = async () => {
      const access = await authorizeList(owner, target.id, listId, "administer");
      return loadRoster(access.client, listId, parseRosterQuery(raw));
    };
    await view(); // warm-up
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const { calls: log, result } = await withMailmanCallLog(view);
      times.push(performance.now() - t0);
      calls = log.length;
      total = result.total;
    }
    console.log(`${label.padEnd(52)} median ${median(times).toFixed(1).padStart(7)} ms   core calls ${calls} (guard ${guardCalls} + roster ${calls - guardCalls})   total ${total}`);
  }

  console.log(`\nRoster page views as an owner, ${MEMBERS} members, ${RUNS} runs each`);
  await measure("page 1 (25 per page)", {});
  await measure("page 200 (25 per page)", { page: "200" });
  await measure("search 'member0999' (members/find *q*)", { q: "member0999" });
  await measure("filter status=by_bounces", { status: "by_bounces" });
  await measure("filter moderation=hold", { moderation: "hold" });

  let peak = process.memoryUsage().rss;
  const before = peak;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  let bytes = 0;
  let lines = 0;
  const { calls } = await withMailmanCallLog(async () => {
    for await (const chunk of rosterCsvLines(client, listId, parseRosterQuery({}))) {
      bytes += Buffer.byteLength(chunk);
      for (const c of chunk) if (c === "\n") lines++;
    }
  });
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  console.log(
    `\nCSV export: ${lines - 1} rows, ${(bytes / 1024).toFixed(0)} KB in ${((performance.now() - t0) / 1000).toFixed(2)} s; ${calls.length} core calls ` +
      `(${calls.filter((c) => c.path === "/members/find").length} status look-ups, ${calls.filter((c) => c.path.endsWith("/roster/member")).length} pages of 500); ` +
      `RSS before ${mb(before)}, peak ${mb(peak)} (+${mb(peak - before)})`,
  );
  const slowest = [...calls].sort((a, b) => b.ms - a.ms).slice(0, 3);
  console.log(`slowest export calls: ${slowest.map((c) => `${c.path.replace(/.*\//, "")} ${c.ms.toFixed(0)} ms`).join(", ")}`);
});
