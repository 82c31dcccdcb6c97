import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCore } from "@/scripts/lib/local-core";

/**
 * Remove everywhere across two Mailman servers (issue 11 item 2): a second real core is started
 * for this file and registered as a second server; one address holds roles on lists of both.
 * The job removes it from every list of both, refuses each server's list it alone owns, bans it
 * on both, and the report names each list's server. The file has a database of its own so the
 * only servers registered are these two (the search covers every registered server).
 */

const { ownDatabase } = await import("@/tests/support/own-database");
const dropOwnDatabase = await ownDatabase("rm2");

// Imported after the database is chosen: lib/env reads the environment once, when first imported.
const { getDb, closeDb } = await import("@/db/client");
const { auditEvents } = await import("@/db/schema");
const { auditDoor, withAuditScope } = await import("@/lib/audit");
const { startWorker } = await import("@/lib/jobs/worker");
const { MailmanClient, onMailmanCall, withMailmanCallLog } = await import("@/lib/mailman");
const { isBanned, removeBan } = await import("@/lib/mailman/bans");
const { createTarget } = await import("@/lib/targets/targets");
const { startLocalCore, stopLocalCore } = await import("@/scripts/lib/local-core");
const { testClient, uniqueName } = await import("@/tests/support/core");
const { makeTarget, makeUser, unique } = await import("@/tests/support/factories");
const { previewRemoveEverywhere, removeEverywhereStatus, startRemoveEverywhere } = await import("./remove-everywhere");
const { getRemoveEverywhereJob } = await import("./remove-everywhere-store");

type Client = InstanceType<typeof MailmanClient>;
type CallRecord = Parameters<Parameters<typeof onMailmanCall>[0]>[0];

const pre = { preVerified: true, preConfirmed: true, preApproved: true } as const;
// One name per worktree: a core left by an interrupted run is stopped and wiped on the next start.
const SECOND_CORE = "it-remove-everywhere-2";

let superuser: Awaited<ReturnType<typeof makeUser>>;
let first: { id: number; name: string; domain: string; client: Client; url: string };
let second: { id: number; name: string; domain: string; client: Client; url: string };
let secondCore: LocalCore | undefined;
let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
const banned: string[] = [];

beforeAll(async () => {
  superuser = await makeUser({ superuser: true });
  const target = await makeTarget(superuser);
  const core1 = testClient();
  first = { id: target.id, name: target.name, domain: target.domain, client: core1, url: core1.baseUrl };
  secondCore = await startLocalCore({ name: SECOND_CORE });
  const domain = `${unique("two")}.example.test`;
  const target2 = await createTarget({ name: unique("second-"), serverUrl: secondCore.restUrl, adminUser: secondCore.user, adminPassword: secondCore.password, domain });
  const core2 = new MailmanClient({ baseUrl: secondCore.restUrl, user: secondCore.user, password: secondCore.password });
  second = { id: target2.id, name: target2.name, domain: target2.domain, client: core2, url: core2.baseUrl };
  worker = await startWorker({ leaseMs: 2_000, pollingIntervalSeconds: 0.5, recoveryIntervalMs: 500 });
});

afterAll(async () => {
  await worker?.stop();
  for (const email of banned) await removeBan(first.client, "global", email).catch(() => undefined);
  if (secondCore) await stopLocalCore(secondCore.dir);
  await closeDb();
  await dropOwnDatabase();
});

async function roles(client: Client, listId: string, email: string): Promise<string[]> {
  const page = await client.findMembers({ listId, subscriber: email }, { count: 10, page: 1 }, ["role"]);
  return page.entries.map((m) => m.role ?? "").sort();
}

async function finished(jobId: number, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = (await getRemoveEverywhereJob(jobId))!;
    if (job.status !== "queued" && job.status !== "running") return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("remove everywhere on two Mailman servers", () => {
  it("removes the address from the lists of both, refuses each server's list it alone owns, bans it on both, and reports each list's server", { timeout: 180_000 }, async () => {
    const address = `${uniqueName("twoservers")}@people.example.test`;
    banned.push(address);
    const list = (server: typeof first) => server.client.createList({ fqdnListname: `${uniqueName("rm2")}@${server.domain}` });
    // Server 1: a membership, an owner role beside another owner, and a list it alone owns.
    const [member1, shared1, sole1] = [await list(first), await list(first), await list(first)];
    await first.client.subscribe({ listId: member1, subscriber: address, ...pre });
    await first.client.subscribe({ listId: shared1, subscriber: address, role: "owner", ...pre });
    await first.client.subscribe({ listId: shared1, subscriber: `boss-${address}`, role: "owner", ...pre });
    await first.client.subscribe({ listId: sole1, subscriber: address, role: "owner", ...pre });
    // Server 2: a membership and a list it alone owns (refused there too, on its own roster).
    const [member2, sole2] = [await list(second), await list(second)];
    await second.client.subscribe({ listId: member2, subscriber: address, ...pre });
    await second.client.subscribe({ listId: sole2, subscriber: address, role: "owner", ...pre });

    const input = { address, roles: ["member", "owner"] as ("member" | "owner")[], globalBan: true };
    const preview = await previewRemoveEverywhere(input);
    const planned = preview.items.map((i) => `${i.targetId}:${i.kind}:${i.listId ?? "-"}:${i.action}`).sort();
    expect(planned).toEqual(
      [
        `${first.id}:membership:${member1}:remove`,
        `${first.id}:membership:${shared1}:remove`,
        `${first.id}:membership:${sole1}:refuse_last_owner`,
        `${first.id}:ban:-:ban`,
        `${second.id}:membership:${member2}:remove`,
        `${second.id}:membership:${sole2}:refuse_last_owner`,
        `${second.id}:ban:-:ban`,
      ].sort(),
    );

    // Every call that changes something, and the owner rosters the job reads before removing an owner.
    const jobCalls: CallRecord[] = [];
    const stop = onMailmanCall((call) => {
      if (call.method !== "GET" || call.path.includes("/roster/owner")) jobCalls.push(call);
    });
    // The console's door: the superuser's action (lib/actions/safe-action.ts) opens this scope.
    const { result: started, calls: startCalls } = await withMailmanCallLog(() =>
      withAuditScope(auditDoor.user(superuser.id), () => startRemoveEverywhere({ ...input, confirmation: address }, superuser.id)),
    );
    const job = await finished(started.jobId);
    stop();
    expect(job.status).toBe("done");

    // The per-list report: each row names its server.
    const status = await removeEverywhereStatus(job);
    const report = status.rows.map((r) => [r.targetName, r.listId ?? "ban", r.outcome]).sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`));
    expect(report).toEqual(
      [
        [first.name, member1, "removed"],
        [first.name, shared1, "removed"],
        [first.name, sole1, "refused_last_owner"],
        [first.name, "ban", "banned"],
        [second.name, member2, "removed"],
        [second.name, sole2, "refused_last_owner"],
        [second.name, "ban", "banned"],
      ].sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`)),
    );
    expect(status).toMatchObject({ total: 7, done: 7, outcomes: { removed: 3, refused_last_owner: 2, banned: 2 } });

    // Both cores' rosters, read back over REST: gone everywhere but the lists it alone owns.
    expect(await roles(first.client, member1, address)).toEqual([]);
    expect(await roles(first.client, shared1, address)).toEqual([]);
    expect(await roles(first.client, shared1, `boss-${address}`)).toEqual(["owner"]);
    expect(await roles(first.client, sole1, address)).toEqual(["owner"]);
    expect(await roles(second.client, member2, address)).toEqual([]);
    expect(await roles(second.client, sole2, address)).toEqual(["owner"]);
    // Banned on both servers.
    expect(await isBanned(first.client, "global", address)).toBe(true);
    expect(await isBanned(second.client, "global", address)).toBe(true);

    // The job's calls per server (the start's planning reads subtracted): server 1 — member 1,
    // owner 2 (roster, removal), refused owner 1, ban 1; server 2 — member 1, refused owner 1, ban 1.
    const counted = (calls: CallRecord[], url: string) => calls.filter((c) => c.server === url && (c.method !== "GET" || c.path.includes("/roster/owner"))).length;
    expect(counted(jobCalls, first.url) - counted(startCalls, first.url)).toBe(5);
    expect(counted(jobCalls, second.url) - counted(startCalls, second.url)).toBe(3);

    // The audit log: the start by the superuser at the console, the end by the scheduler for them.
    const db = await getDb();
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.subject, address)).orderBy(auditEvents.id);
    expect(audit.map((a) => [a.action, a.actorKind, a.actorLabel, a.actorUserId, a.outcome])).toEqual([
      ["people.remove_everywhere", "user", null, superuser.id, "ok"],
      ["people.remove_everywhere.finished", "scheduler", "remove-everywhere job", superuser.id, "ok"],
    ]);
  });
});
