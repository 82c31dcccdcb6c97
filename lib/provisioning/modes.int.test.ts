import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { provisionerTargets } from "@/db/schema";
import { jobById } from "@/lib/api/v1";
import { createEmailList, createGroup, createPerson, deleteMembership, getEmailList, provisionEmailList, provisionPerson, putMembership } from "@/lib/registry/registry";
import { createTarget } from "@/lib/targets/targets";
import { testClient, testCore, uniqueName } from "@/tests/support/core";
import { makeUser } from "@/tests/support/factories";
import { dueJobIds } from "./job-store";
import type { TargetMode } from "./modes";
import { runProvisioningJob } from "./run-job";
import { runQueuedJobsNow } from "./sync-console";
import { updateTargetFromApi } from "./targets-api";

/**
 * Each target mode against the real core (modes.ts, provisioning.md §2.2, §7.6): queue holds a
 * change until the queue run at the start of the next minute (or "Run queued jobs now"); manual
 * queues explicit runs only; enrollment queues a person's first provisioning only; disabled runs
 * nothing. Automatic and queue_on_error under a failing core: fault.int.test.ts.
 */

const core = testClient();
let adminId: string;

beforeAll(async () => {
  adminId = (await makeUser({ superuser: true })).id;
});

async function targetIn(mode: TargetMode) {
  const c = testCore();
  const target = await createTarget({ name: uniqueName(`mode-${mode}`), serverUrl: c.restUrl, adminUser: c.user, adminPassword: c.password, domain: `${uniqueName("m")}.example.test` });
  const db = await getDb();
  await db.update(provisionerTargets).set({ mode }).where(eq(provisionerTargets.id, target.id));
  return target.id;
}

async function personIn(groupId: number, tag: string) {
  const address = `${tag}@example.org`;
  const { value } = await createPerson({ displayName: tag, givenName: "", familyName: "", status: "active", externalId: null, emails: [{ address, type: "official", verified: false }] });
  const membership = await putMembership(groupId, value.id, { member: true, owner: false });
  return { personId: value.id, address, jobIds: membership.jobIds };
}

const newGroup = async (prefix: string) => (await createGroup({ name: uniqueName(prefix), description: "", status: "active", externalId: null })).value.id;

async function membersOf(emailListId: number): Promise<string[]> {
  const mailmanListId = (await getEmailList(emailListId)).mailmanListId;
  if (!mailmanListId) return [];
  const roster = await core.findMembers({ listId: mailmanListId }, { count: 100, page: 1 }, ["email", "role", "subscription_mode"]);
  return roster.entries.map((e) => `${e.role}:${e.email}:${e.subscription_mode}`).sort();
}

async function runAll(jobIds: readonly number[]) {
  for (const id of jobIds) await runProvisioningJob(id, { workerId: "modes-test" });
  return Promise.all(jobIds.map((id) => jobById(id)));
}

it("queue: a change waits for the queue run at the start of the next minute, then converges; Run queued jobs now runs the next one at once", { timeout: 150_000 }, async () => {
  const targetId = await targetIn("queue");
  const group = await newGroup("q");
  const ada = await personIn(group, uniqueName("q-ada"));
  const list = await createEmailList({ targetId, name: uniqueName("q"), description: "", status: "active", membershipMode: "group", membersGroupId: group, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: null });
  expect(list.jobIds).toHaveLength(1);
  const jobId = list.jobIds[0]!;
  const queued = await jobById(jobId);
  const runAt = Date.parse(queued.nextAttemptAt!);
  expect(queued).toMatchObject({ status: "queued", attempts: 0 });
  // The next whole minute, in the database's clock.
  expect(runAt % 60_000).toBe(0);
  expect(runAt - Date.now()).toBeGreaterThan(-2_000);
  expect(runAt - Date.now()).toBeLessThanOrEqual(62_000);

  // Before the queue run: nobody takes it, and Mailman has not heard of the list.
  expect(await dueJobIds()).not.toContain(jobId);
  expect(await runProvisioningJob(jobId, { workerId: "modes-test" })).toBe("busy");
  expect(await getEmailList(list.value.id)).toMatchObject({ mailmanListId: null });

  // The queue run: once the minute starts, the job is due and converges.
  while (Date.now() < runAt + 500) await new Promise((r) => setTimeout(r, 500));
  expect(await dueJobIds()).toContain(jobId);
  expect(await runProvisioningJob(jobId, { workerId: "modes-test" })).toBe("succeeded");
  expect(await membersOf(list.value.id)).toEqual([`member:${ada.address}:as_user`]);

  // A second change waits again; "Run queued jobs now" makes it due at once.
  const bob = await personIn(group, uniqueName("q-bob"));
  expect(bob.jobIds).toHaveLength(1);
  expect(await runProvisioningJob(bob.jobIds[0]!, { workerId: "modes-test" })).toBe("busy");
  expect(await runQueuedJobsNow(targetId)).toEqual({ jobIds: bob.jobIds });
  expect((await runAll(bob.jobIds)).map((j) => j.status)).toEqual(["succeeded"]);
  expect(await membersOf(list.value.id)).toEqual([`member:${ada.address}:as_user`, `member:${bob.address}:as_user`].sort());
});

it("queue: leaving queue mode for automatic runs the changes that waited for the queue run at once", { timeout: 60_000 }, async () => {
  const targetId = await targetIn("queue");
  const group = await newGroup("qa");
  const ada = await personIn(group, uniqueName("qa-ada"));
  const list = await createEmailList({ targetId, name: uniqueName("qa"), description: "", status: "active", membershipMode: "group", membersGroupId: group, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: null });
  expect(await dueJobIds()).not.toContain(list.jobIds[0]);
  await updateTargetFromApi(targetId, { mode: "automatic" }, adminId);
  expect(await dueJobIds()).toContain(list.jobIds[0]);
  await runAll(list.jobIds);
  expect(await membersOf(list.value.id)).toEqual([`member:${ada.address}:as_user`]);
  // In automatic mode the next change is due at once.
  const bob = await personIn(group, uniqueName("qa-bob"));
  expect(await dueJobIds()).toContain(bob.jobIds[0]);
});

it("manual: changes queue nothing; a manual provision runs at once", { timeout: 60_000 }, async () => {
  const targetId = await targetIn("manual");
  const group = await newGroup("man");
  const ada = await personIn(group, uniqueName("man-ada"));
  const list = await createEmailList({ targetId, name: uniqueName("man"), description: "", status: "active", membershipMode: "group", membersGroupId: group, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: null });
  expect(list.jobIds).toEqual([]);
  expect(await getEmailList(list.value.id)).toMatchObject({ mailmanListId: null });

  const provision = await provisionEmailList(list.value.id);
  expect(provision.jobIds).toHaveLength(1);
  expect(await dueJobIds()).toContain(provision.jobIds[0]);
  expect((await runAll(provision.jobIds)).map((j) => j.status)).toEqual(["succeeded"]);
  expect(await membersOf(list.value.id)).toEqual([`member:${ada.address}:as_user`]);

  // Removing Ada from the group changes nothing in Mailman until someone asks.
  expect((await deleteMembership(group, ada.personId)).jobIds).toEqual([]);
  expect(await membersOf(list.value.id)).toEqual([`member:${ada.address}:as_user`]);
  const again = await provisionPerson(ada.personId, targetId);
  await runAll(again.jobIds);
  expect(await membersOf(list.value.id)).toEqual([]);
});

it("enrollment: a person's first provisioning runs by itself; later changes to them wait for an explicit run", { timeout: 60_000 }, async () => {
  const targetId = await targetIn("enrollment");
  const group = await newGroup("enr");
  const list = await createEmailList({ targetId, name: uniqueName("enr"), description: "", status: "active", membershipMode: "group", membersGroupId: group, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: null });
  // A list is not an enrollment: it is created when asked for.
  expect(list.jobIds).toEqual([]);
  await runAll((await provisionEmailList(list.value.id)).jobIds);
  expect(await membersOf(list.value.id)).toEqual([]);

  // Ada is new here: joining the group is her enrollment, and runs at once.
  const ada = await personIn(group, uniqueName("enr-ada"));
  expect(ada.jobIds).toHaveLength(1);
  expect((await runAll(ada.jobIds)).map((j) => j.status)).toEqual(["succeeded"]);
  expect(await membersOf(list.value.id)).toEqual([`member:${ada.address}:as_user`]);

  // Now that she has a Mailman user, leaving the group queues nothing...
  expect((await deleteMembership(group, ada.personId)).jobIds).toEqual([]);
  expect(await membersOf(list.value.id)).toEqual([`member:${ada.address}:as_user`]);
  // ...until a manual provision.
  await runAll((await provisionPerson(ada.personId, targetId)).jobIds);
  expect(await membersOf(list.value.id)).toEqual([]);
});

it("disabled: nothing is queued, not even explicit runs, and a job queued before it was disabled does not run", { timeout: 60_000 }, async () => {
  const targetId = await targetIn("automatic");
  const group = await newGroup("dis");
  await personIn(group, uniqueName("dis-ada"));
  const list = await createEmailList({ targetId, name: uniqueName("dis"), description: "", status: "active", membershipMode: "group", membersGroupId: group, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: null });
  expect(list.jobIds).toHaveLength(1);
  await updateTargetFromApi(targetId, { mode: "disabled" }, adminId);

  expect(await runProvisioningJob(list.jobIds[0]!, { workerId: "modes-test" })).toBe("failed");
  expect(await jobById(list.jobIds[0]!)).toMatchObject({ status: "failed", lastError: "Not run: provisioning is disabled on this server." });
  expect(await getEmailList(list.value.id)).toMatchObject({ mailmanListId: null });

  expect((await personIn(group, uniqueName("dis-bob"))).jobIds).toEqual([]);
  expect((await provisionEmailList(list.value.id)).jobIds).toEqual([]);
  expect(await getEmailList(list.value.id)).toMatchObject({ mailmanListId: null });
});
