import { createServer, type AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { bulkJobs, provisionerTargets } from "@/db/schema";
import type { Viewer } from "@/lib/auth/users";
import type { MailmanClient } from "@/lib/mailman";
import type { TargetSummary } from "@/lib/targets/targets";
import { testClient, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { runBulkJob } from "./bulk-run";
import { allReportRows, claimJob, claimPendingItems, createBulkJob, finishJob, getBulkJob, holdsLease, requestCancel } from "./bulk-store";

/** Runs of one job, driven directly (no queue): what a worker does in the situations it must survive. */

let superuser: Viewer;
let target: TargetSummary;
let core: MailmanClient;

beforeAll(async () => {
  superuser = await makeUser({ superuser: true });
  target = await makeTarget(superuser);
  core = testClient();
});

const flags = { preVerified: true, preConfirmed: true, preApproved: true, invitation: false, sendWelcome: false, deliveryMode: "regular" };

/** A loopback port nothing listens on (bound and released here). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function newList(): Promise<string> {
  return core.createList({ fqdnListname: `${uniqueName("run")}@${target.domain}` });
}

/** A mass subscribe job of `emails` on `listId` (pre-approved, no welcome), as the form makes it. */
function subscribeJob(listId: string, emails: readonly string[], targetId = target.id): Promise<number> {
  return createBulkJob({
    targetId,
    listId,
    kind: "subscribe",
    source: "text",
    options: flags,
    createdBy: superuser.id,
    items: emails.map((email) => ({ email, displayName: null, expectedMember: false })),
  });
}

async function outcomes(jobId: number): Promise<[string, string | null, string | null][]> {
  const rows: [string, string | null, string | null][] = [];
  for await (const row of allReportRows(jobId)) rows.push([row.email, row.outcome, row.detail]);
  return rows;
}

describe("runBulkJob", () => {
  it("reports every address as failed in plain words when the core stays unreachable longer than the job waits for it, and ends the job", async () => {
    const listId = await newList();
    // A second server row for the same domain, pointing at a port where nothing listens.
    const dead = await makeTarget(superuser, { domain: `${uniqueName("dead")}.example.test` });
    const db = await getDb();
    await db.update(provisionerTargets).set({ serverUrl: `http://127.0.0.1:${await closedPort()}` }).where(eq(provisionerTargets.id, dead.id));
    const jobId = await subscribeJob(listId, ["a@run.example", "b@run.example"], dead.id);
    // The job waits for a core that stopped answering (10 min by default; scripts/soak.ts kills
    // one and sees nothing lost); here it waits 50 ms per round.
    expect(await runBulkJob(jobId, { workerId: "test", retryDelayMs: 10, corePatienceMs: 50 })).toBe("finished");
    const job = await getBulkJob(jobId);
    expect(job?.status).toBe("done");
    const rows = await outcomes(jobId);
    expect(rows.map(([email, outcome]) => [email, outcome])).toEqual([
      ["a@run.example", "failed"],
      ["b@run.example", "failed"],
    ]);
    expect(rows[0]![2]).toMatch(/^Connection refused/);
  });

  it("does not touch a job another live worker holds", async () => {
    const listId = await newList();
    const jobId = await subscribeJob(listId, ["held@run.example"]);
    expect(await claimJob(jobId, "other-worker", 60_000)).not.toBeNull();
    expect(await runBulkJob(jobId, { workerId: "test" })).toBe("busy");
    expect((await outcomes(jobId))[0]![1]).toBeNull();
    expect((await core.fullRoster(listId, "member", ["email"])).length).toBe(0);
    // Ended by its holder, so no worker of another test file waits for it on a shared database.
    await finishJob(jobId, "other-worker", "cancelled");
  });

  it("cancels: nothing more is sent, and what was not sent is reported as not done", async () => {
    const listId = await newList();
    const jobId = await subscribeJob(listId, Array.from({ length: 5 }, (_, i) => `c${i}@run.example`));
    await requestCancel(jobId);
    expect(await runBulkJob(jobId, { workerId: "test" })).toBe("finished");
    expect((await getBulkJob(jobId))?.status).toBe("cancelled");
    expect(new Set((await outcomes(jobId)).map(([, outcome]) => outcome))).toEqual(new Set(["cancelled"]));
    expect((await core.fullRoster(listId, "member", ["email"])).length).toBe(0);
  });

  it("a worker asked to stop releases the job at once, and the next run finishes it", async () => {
    const listId = await newList();
    const jobId = await subscribeJob(listId, Array.from({ length: 3 }, (_, i) => `s${i}@run.example`));
    const stop = new AbortController();
    stop.abort();
    expect(await runBulkJob(jobId, { workerId: "stopping", signal: stop.signal })).toBe("stopped");
    expect((await getBulkJob(jobId))?.leaseOwner).toBeNull();
    expect(await runBulkJob(jobId, { workerId: "next" })).toBe("finished");
    expect((await outcomes(jobId)).map(([, o]) => o)).toEqual(["subscribed", "subscribed", "subscribed"]);
  });


  it("a database that goes away mid-job leaves the job running to be resumed, not failed; the next run finishes it with each address once", async () => {
    const listId = await newList();
    const emails = Array.from({ length: 60 }, (_, i) => `db${i}@run.example`);
    const jobId = await subscribeJob(listId, emails);
    // What drizzle throws when PostgreSQL restarts under a query (SQLSTATE 57P01), raised after
    // the first batch is recorded while the second is still being sent.
    const restarted = Object.assign(new Error("Failed query: update bulk_job_items …"), {
      query: "update bulk_job_items …",
      params: [],
      cause: Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
    });
    const onBatch = () => {
      throw restarted;
    };
    expect(await runBulkJob(jobId, { workerId: "first", leaseMs: 300, onBatch })).toBe("interrupted");
    expect((await getBulkJob(jobId))?.status).toBe("running");

    await new Promise((resolve) => setTimeout(resolve, 400)); // the unrenewed lease expires
    expect(await runBulkJob(jobId, { workerId: "next", inDoubtGraceMs: 0 })).toBe("finished");
    expect((await getBulkJob(jobId))?.status).toBe("done");
    expect((await outcomes(jobId)).map(([, outcome]) => outcome)).toEqual(emails.map(() => "subscribed"));
    expect((await core.fullRoster(listId, "member", ["email"])).map((m) => m.email).sort()).toEqual([...emails].sort());
  });
  it("two runs of one job that overlap never claim the same address: the second takes the next items", async () => {
    const listId = await newList();
    const jobId = await subscribeJob(listId, Array.from({ length: 6 }, (_, i) => `o${i}@run.example`));
    expect(await claimJob(jobId, "overlap", 60_000)).not.toBeNull();
    const db = await getDb();
    // Another run's claim of the first three, not committed yet when this run claims (on
    // PostgreSQL the two overlap; PGlite runs them one after the other).
    let second: Promise<string[]> | undefined;
    await db.transaction(async (tx) => {
      await tx.execute(sql`update bulk_job_items set state = 'sending' where job_id = ${jobId} and position <= 3`);
      second = claimPendingItems(jobId, "overlap", 3).then((items) => items.map((i) => i.email));
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    expect(await second).toEqual(["o3@run.example", "o4@run.example", "o5@run.example"]);
    expect(await claimPendingItems(jobId, "overlap", 3)).toEqual([]);
    await finishJob(jobId, "overlap", "cancelled");
  });

  it("a worker whose lease ran out claims nothing more, and knows it", async () => {
    const listId = await newList();
    const jobId = await subscribeJob(listId, ["late@run.example"]);
    expect(await claimJob(jobId, "stalled", 60_000)).not.toBeNull();
    expect(await holdsLease(jobId, "stalled")).toBe(true);
    const db = await getDb();
    await db.update(bulkJobs).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(bulkJobs.id, jobId));
    expect(await claimPendingItems(jobId, "stalled", 10)).toEqual([]);
    expect(await holdsLease(jobId, "stalled")).toBe(false);
    expect(await claimPendingItems(jobId, "someone-else", 10)).toEqual([]);
    // The next run takes the expired job over and sends the address once.
    expect(await runBulkJob(jobId, { workerId: "next", inDoubtGraceMs: 0 })).toBe("finished");
    expect((await outcomes(jobId)).map(([, outcome]) => outcome)).toEqual(["subscribed"]);
  });
});
