import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { provisionerTargets } from "@/db/schema";
import { jobById } from "@/lib/api/v1";
import { createEmailList, createGroup, createPerson, getEmailList, putMembership } from "@/lib/registry/registry";
import { createTarget } from "@/lib/targets/targets";
import { testClient, testCore, uniqueName } from "@/tests/support/core";
import { startFaultProxy, type FaultProxy } from "@/tests/support/fault-proxy";
import { dueJobIds, listEvents } from "./job-store";
import { retryJobNow } from "./sync-console";
import { runProvisioningJob } from "./run-job";

/**
 * The core answers 503 for a while (a proxy of ours in front of it). On a queue_on_error target
 * the job fails, waits its target's retry_interval_s, is retried from scratch, and converges with
 * every address exactly once per role; out of retries, it is failed. On an automatic target
 * (COmanage semantics, provisioning.md §2.2 and §8.7: only QueueOnError queues a retry) the job
 * is failed at once and waits for "Retry now", the next change or the nightly repair.
 */

const core = testClient();
let proxy: FaultProxy;
let targetId: number;
let automaticTargetId: number;

beforeAll(async () => {
  proxy = await startFaultProxy();
  const c = testCore();
  const db = await getDb();
  const target = await createTarget({ name: uniqueName("fault"), serverUrl: proxy.client.baseUrl, adminUser: c.user, adminPassword: c.password, domain: `${uniqueName("d")}.example.test` });
  targetId = target.id;
  await db.update(provisionerTargets).set({ mode: "queue_on_error", retryIntervalS: 1, maxRetry: 4 }).where(eq(provisionerTargets.id, targetId));
  const automatic = await createTarget({ name: uniqueName("fault-a"), serverUrl: proxy.client.baseUrl, adminUser: c.user, adminPassword: c.password, domain: `${uniqueName("d")}.example.test` });
  automaticTargetId = automatic.id;
  await db.update(provisionerTargets).set({ mode: "automatic", retryIntervalS: 1, maxRetry: 4 }).where(eq(provisionerTargets.id, automaticTargetId));
});
afterAll(() => proxy.close());

async function scenario(prefix: string, onTarget = targetId) {
  const tag = uniqueName(prefix);
  const members = (await createGroup({ name: uniqueName(`${prefix}-m`), description: "", status: "active", externalId: null })).value.id;
  const owners = (await createGroup({ name: uniqueName(`${prefix}-o`), description: "", status: "active", externalId: null })).value.id;
  const emails = [0, 1, 2].map((i) => `p${i}.${tag}@example.org`);
  for (const [i, address] of emails.entries()) {
    const { value } = await createPerson({ displayName: `P${i}`, givenName: "", familyName: "", status: "active", externalId: null, emails: [{ address, type: "official", verified: false }] });
    await putMembership(members, value.id, { member: true, owner: false });
    if (i === 0) await putMembership(owners, value.id, { member: true, owner: false });
  }
  const list = await createEmailList({ targetId: onTarget, name: uniqueName(prefix), description: "", status: "active", membershipMode: "group", membersGroupId: members, adminsGroupId: owners, moderatorsGroupId: null, eligibilityGroupId: null });
  return { emails, listId: list.value.id, jobId: list.jobIds[0]! };
}

async function runUntilDone(jobId: number, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await runProvisioningJob(jobId, { workerId: "fault-test" });
    const job = await jobById(jobId);
    if (job.status !== "queued" && job.status !== "running") return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

it("queue_on_error: fails while the core answers 503, is retried on schedule and converges exactly once per role", { timeout: 60_000 }, async () => {
  const s = await scenario("f503");
  proxy.failNext((method, path) => method === "POST" && path === "/members", 2);
  await runProvisioningJob(s.jobId, { workerId: "fault-test" });
  const waiting = await jobById(s.jobId);
  expect(waiting).toMatchObject({ status: "queued", attempts: 1 });
  expect(waiting.lastError).toMatch(/internal error/);
  expect(Date.parse(waiting.nextAttemptAt!)).toBeGreaterThan(Date.now() - 1000);
  // Not due yet: a worker asking now gets nothing.
  expect(await runProvisioningJob(s.jobId, { workerId: "fault-test" })).toBe("busy");

  const done = await runUntilDone(s.jobId);
  // Subscribes run in parallel: the two 503s may fall in one attempt or in two.
  expect(done.status).toBe("succeeded");
  expect(done.attempts).toBeGreaterThanOrEqual(2);
  const mailmanListId = (await getEmailList(s.listId)).mailmanListId!;
  const roster = await core.findMembers({ listId: mailmanListId }, { count: 100, page: 1 }, ["email", "role", "subscription_mode"]);
  expect(roster.entries.map((e) => `${e.role}:${e.email}:${e.subscription_mode}`).sort()).toEqual(
    [...s.emails.map((e) => `member:${e}:as_user`), `owner:${s.emails[0]}:as_address`].sort(),
  );
  const events = await listEvents({ jobId: s.jobId });
  expect(events.filter((e) => e.httpStatus === 503)).toHaveLength(2);
  expect(events.filter((e) => e.op === "create_user")).toHaveLength(3);
});

it("queue_on_error: is failed once max_retry attempts are used up", { timeout: 60_000 }, async () => {
  const s = await scenario("fmax");
  proxy.failNext((method, path) => method === "POST" && path === "/members", 100);
  try {
    const done = await runUntilDone(s.jobId);
    expect(done).toMatchObject({ status: "failed", attempts: 4 });
    expect(done.lastError).toMatch(/internal error/);
  } finally {
    proxy.reset();
  }
});

it("automatic: a 503 fails the job at once, it is not retried by itself, and Retry now converges it", { timeout: 60_000 }, async () => {
  const s = await scenario("fauto", automaticTargetId);
  proxy.failNext((method, path) => method === "POST" && path === "/members", 1);
  expect(await runProvisioningJob(s.jobId, { workerId: "fault-test" })).toBe("failed");
  const failed = await jobById(s.jobId);
  expect(failed).toMatchObject({ status: "failed", attempts: 1 });
  expect(failed.lastError).toMatch(/internal error/);
  // Nothing brings it back by itself: no worker finds it due, and asking for it gets nothing.
  await new Promise((r) => setTimeout(r, 1500));
  expect(await dueJobIds()).not.toContain(s.jobId);
  expect(await runProvisioningJob(s.jobId, { workerId: "fault-test" })).toBe("busy");
  expect((await jobById(s.jobId)).attempts).toBe(1);

  await retryJobNow(s.jobId, automaticTargetId);
  const done = await runUntilDone(s.jobId);
  expect(done).toMatchObject({ status: "succeeded", attempts: 2 });
  const mailmanListId = (await getEmailList(s.listId)).mailmanListId!;
  const roster = await core.findMembers({ listId: mailmanListId }, { count: 100, page: 1 }, ["email", "role", "subscription_mode"]);
  expect(roster.entries.map((e) => `${e.role}:${e.email}:${e.subscription_mode}`).sort()).toEqual(
    [...s.emails.map((e) => `member:${e}:as_user`), `owner:${s.emails[0]}:as_address`].sort(),
  );
});

it("an aborted attempt sends nothing more: its queued people do not go on in the background while the retry waits", { timeout: 60_000 }, async () => {
  const tag = uniqueName("fstop");
  const members = (await createGroup({ name: uniqueName("fstop-m"), description: "", status: "active", externalId: null })).value.id;
  for (let i = 0; i < 12; i++) {
    const { value } = await createPerson({ displayName: `S${i}`, givenName: "", familyName: "", status: "active", externalId: null, emails: [{ address: `s${i}.${tag}@example.org`, type: "official", verified: false }] });
    await putMembership(members, value.id, { member: true, owner: false });
  }
  const list = await createEmailList({ targetId, name: uniqueName("fstop"), description: "", status: "active", membershipMode: "group", membersGroupId: members, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: null });
  const jobId = list.jobIds[0]!;
  proxy.failNext((method, path) => method === "POST" && path === "/members", 1);
  expect(await runProvisioningJob(jobId, { workerId: "fault-test" })).toBe("retry");
  const sent = (await listEvents({ jobId, limit: 1000 })).length;
  const mailmanListId = (await getEmailList(list.value.id)).mailmanListId!;
  const size = (await core.findMembers({ listId: mailmanListId }, { count: 100, page: 1 }, ["email"])).total;
  // Twelve people, four at a time: most had not started when the 503 came, and none starts later.
  expect(size).toBeLessThan(12);
  await new Promise((r) => setTimeout(r, 2000));
  expect((await listEvents({ jobId, limit: 1000 })).length).toBe(sent);
  expect((await core.findMembers({ listId: mailmanListId }, { count: 100, page: 1 }, ["email"])).total).toBe(size);

  const done = await runUntilDone(jobId);
  expect(done.status).toBe("succeeded");
  const roster = await core.findMembers({ listId: mailmanListId }, { count: 100, page: 1 }, ["email", "role", "subscription_mode"]);
  expect(roster.entries.map((e) => `${e.role}:${e.email}:${e.subscription_mode}`).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `member:s${i}.${tag}@example.org:as_user`).sort());
});
