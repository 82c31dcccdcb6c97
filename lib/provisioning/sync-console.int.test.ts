import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { listPreferences, provisionerTargets, provisioningConflicts } from "@/db/schema";
import type { Viewer } from "@/lib/auth/users";
import { createEmailList, createGroup, createPerson, getEmailList, putMembership, resolveConflict } from "@/lib/registry/registry";
import { applySelfServiceInit, planSelfServiceInit } from "@/lib/registry/self-service";
import { mySelfServiceLists, setMySelfServicePreference } from "@/lib/self-service/self-service-lists";
import { createTarget } from "@/lib/targets/targets";
import { testClient, testCore, uniqueName } from "@/tests/support/core";
import { startFaultProxy, type FaultProxy } from "@/tests/support/fault-proxy";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { jobReport, runJobs } from "@/tests/support/provisioning";
import { conflictsPage } from "./conflicts-console";
import { runProvisioningJob } from "./run-job";
import { changeHistory, liveJobs, problemItems, retryJobNow, retrySchedule, targetHealth } from "./sync-console";

/**
 * The sync console's actions against the real core (issue 10 items 3–5): "Retry now" re-queues a
 * job that waits for its retry and it then succeeds; adopting resolves a real address conflict;
 * a member's opt-in subscribes them and the opt-out removes them quietly, never undone by init.
 */

const core = testClient();
let admin: Viewer;

beforeAll(async () => {
  admin = await makeUser({ superuser: true });
});

async function roster(listId: string) {
  const page = await core.findMembers({ listId }, { count: 1000, page: 1 }, ["email", "role", "subscription_mode"]);
  return page.entries.map((e) => `${e.role}:${e.email}:${e.subscription_mode}`).sort();
}

async function person(name: string, address: string) {
  return (await createPerson({ displayName: name, givenName: "", familyName: "", status: "active", externalId: null, emails: [{ address, type: "official", verified: false }] })).value.id;
}

describe("retry now", () => {
  let proxy: FaultProxy;
  let targetId: number;
  beforeAll(async () => {
    proxy = await startFaultProxy();
    const c = testCore();
    targetId = (await createTarget({ name: uniqueName("retry"), serverUrl: proxy.client.baseUrl, adminUser: c.user, adminPassword: c.password, domain: `${uniqueName("d")}.example.test` })).id;
    // Retries on schedule (queue_on_error), an hour apart: without "Retry now" the job would not run again in this test.
    await (await getDb()).update(provisionerTargets).set({ mode: "queue_on_error", retryIntervalS: 3600, maxRetry: 5 }).where(eq(provisionerTargets.id, targetId));
  });
  afterAll(() => proxy.close());

  it("a job waiting an hour for its retry is queued at once, shown on the schedule meanwhile, and then succeeds", { timeout: 60_000 }, async () => {
    const tag = uniqueName("rn");
    const members = (await createGroup({ name: uniqueName("rn-m"), description: "", status: "active", externalId: null })).value.id;
    const p = await person("Rita", `rita.${tag}@example.org`);
    await putMembership(members, p, { member: true, owner: false });
    const list = await createEmailList({ targetId, name: uniqueName("rn"), description: "", status: "active", membershipMode: "group", membersGroupId: members, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: null });
    const jobId = list.jobIds[0]!;
    proxy.failNext((method, path) => method === "POST" && path === "/members", 1);
    expect(await runProvisioningJob(jobId, { workerId: "retry-test" })).toBe("retry");

    const schedule = await retrySchedule(targetId);
    expect(schedule).toEqual([expect.objectContaining({ id: jobId, status: "queued", attempts: 1, lastError: expect.stringMatching(/internal error/) })]);
    expect(Date.parse(schedule[0]!.nextAttemptAt!)).toBeGreaterThan(Date.now() + 3000_000);
    const health = await targetHealth(targetId);
    expect(health).toMatchObject({ tone: "amber", waitingRetry: 1, jobsWaiting: 1 });
    expect((await liveJobs(targetId)).progress).toMatchObject({ live: true, total: 1, finished: 0, waitingRetry: 1 });
    // Not due: a worker asking now gets nothing.
    expect(await runProvisioningJob(jobId, { workerId: "retry-test" })).toBe("busy");

    await retryJobNow(jobId, targetId);
    expect(await runProvisioningJob(jobId, { workerId: "retry-test" })).toBe("succeeded");
    const { job } = await jobReport(jobId);
    expect(job).toMatchObject({ status: "succeeded", attempts: 2 });
    const mailmanListId = (await getEmailList(list.value.id)).mailmanListId!;
    expect(await roster(mailmanListId)).toEqual([`member:rita.${tag}@example.org:as_user`]);
    expect(await retrySchedule(targetId)).toEqual([]);
    expect((await liveJobs(targetId)).progress.live).toBe(false);
    // Another server's job, or a job that succeeded, cannot be retried from here.
    await expect(retryJobNow(jobId, targetId + 1)).rejects.toThrow(/no job/);
    await expect(retryJobNow(jobId, targetId)).rejects.toThrow(/nothing to retry/);
    // The person's history: newest first, the failed call kept beside the one that went through.
    const history = await changeHistory({ personId: p }, { page: 1, targetId });
    const subscribes = history.items.filter((e) => e.op === "subscribe");
    expect(subscribes.map((e) => e.httpStatus)).toEqual([201, 503]);
    expect(history.items.map((e) => e.id)).toEqual([...history.items.map((e) => e.id)].sort((a, b) => b - a));
  });
});

describe("conflicts console", () => {
  let targetId: number;
  beforeAll(async () => {
    targetId = (await makeTarget(admin)).id;
  });

  it("shows the other core user and adopting resolves the conflict: the person is subscribed, the resolver recorded", { timeout: 60_000 }, async () => {
    const tag = uniqueName("cf");
    const email = `taken.${tag}@example.org`;
    // An address already owned by a core user Listkeeper did not create, on one of its lists.
    await core.create("/users", { email, display_name: "Somebody Else" });
    const members = (await createGroup({ name: uniqueName("cf-m"), description: "", status: "active", externalId: null })).value.id;
    const list = await createEmailList({ targetId, name: uniqueName("cf"), description: "", status: "active", membershipMode: "group", membersGroupId: members, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: null });
    await runJobs(list.jobIds);
    const mailmanListId = (await getEmailList(list.value.id)).mailmanListId!;
    const dana = await person("Dana", email);
    const changed = await putMembership(members, dana, { member: true, owner: false });
    await runJobs(changed.jobIds);
    expect((await jobReport(changed.jobIds[0]!)).items).toEqual([expect.objectContaining({ outcome: "conflict", email })]);
    expect(await roster(mailmanListId)).toEqual([]);

    const open = await conflictsPage({ open: true, page: 1, targetId });
    const row = open.items.find((c) => c.personId === dana)!;
    expect(row).toMatchObject({ email, kind: "preferred_owned_by_unmapped", actions: ["adopt", "absorb", "ignore"], personName: "Dana" });
    expect(row.other).toMatchObject({ displayName: "Somebody Else", heldBy: null, problem: null, addresses: [{ email, verified: false, ofThisPerson: true }], memberships: [] });
    expect((await problemItems(targetId, 1)).rows).toEqual([expect.objectContaining({ jobId: changed.jobIds[0], outcome: "conflict", email })]);
    expect((await targetHealth(targetId)).openConflicts).toBe(1);

    const resolved = await resolveConflict(row.id, "adopt", admin.id);
    expect(resolved.jobIds).toHaveLength(1);
    await runJobs(resolved.jobIds);
    expect(await roster(mailmanListId)).toEqual([`member:${email}:as_user`]);
    const [stored] = await (await getDb()).select().from(provisioningConflicts).where(eq(provisioningConflicts.id, row.id));
    expect(stored).toMatchObject({ resolution: "adopt", resolvedBy: admin.id });
    const closed = await conflictsPage({ open: false, page: 1, targetId });
    expect(closed.items.find((c) => c.id === row.id)).toMatchObject({ resolution: "adopt", resolvedBy: admin.verifiedEmails[0], actions: [] });
    await expect(resolveConflict(row.id, "ignore", admin.id)).rejects.toThrow(/already resolved/);
  });

  it("refuses an action the conflict's kind or the target's mode does not allow, and keeps it open", { timeout: 60_000 }, async () => {
    const tag = uniqueName("cfx");
    const p = await person("Ed", `ed.${tag}@example.org`);
    const db = await getDb();
    const [c] = await db.insert(provisioningConflicts).values({ targetId, personId: p, email: `ed.${tag}@example.org`, kind: "preferred_owned_by_person", message: "held by another person" }).returning();
    await expect(resolveConflict(c!.id, "adopt", admin.id)).rejects.toThrow(/allowed: ignore/);
    expect((await conflictsPage({ open: true, page: 1, targetId })).items.find((x) => x.id === c!.id)?.actions).toEqual(["ignore"]);
    await resolveConflict(c!.id, "ignore", admin.id);
    expect((await conflictsPage({ open: false, page: 1, targetId })).items.find((x) => x.id === c!.id)).toMatchObject({ resolution: "ignore" });
  });
});

describe("self-service lists on My lists", () => {
  it("opt-in subscribes within one run; opt-out removes quietly (bulk roster DELETE); a later init never undoes it", { timeout: 90_000 }, async () => {
    const targetId = (await makeTarget(admin)).id;
    const member = await makeUser();
    const address = member.verifiedEmails[0]!;
    const eligible = (await createGroup({ name: uniqueName("ss-e"), description: "", status: "active", externalId: null })).value.id;
    const p = await person("Member", address);
    await putMembership(eligible, p, { member: true, owner: false });
    const list = await createEmailList({ targetId, name: uniqueName("ss"), description: "Opt in", status: "active", membershipMode: "self_service", membersGroupId: null, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: eligible });
    await runJobs(list.jobIds);
    const mailmanListId = (await getEmailList(list.value.id)).mailmanListId!;
    // Someone on the list by hand: never touched by opt-ins, opt-outs or init.
    const stranger = `hand.${uniqueName("ss")}@example.org`;
    await core.subscribe({ listId: mailmanListId, subscriber: stranger, preVerified: true, preConfirmed: true, preApproved: true });

    const mine = (await mySelfServiceLists(member)).find((e) => e.emailListId === list.value.id);
    expect(mine).toMatchObject({ subscribed: null, sync: "done", fqdn: expect.stringContaining("@") });
    // Someone outside the eligibility group sees nothing and may not opt in.
    const outsider = await makeUser();
    expect((await mySelfServiceLists(outsider)).some((e) => e.emailListId === list.value.id)).toBe(false);
    await expect(setMySelfServicePreference(outsider, { emailListId: list.value.id, subscribed: true })).rejects.toThrow(/not linked/);

    const optIn = await setMySelfServicePreference(member, { emailListId: list.value.id, subscribed: true });
    expect((await mySelfServiceLists(member)).find((e) => e.emailListId === list.value.id)).toMatchObject({ subscribed: true, sync: "syncing" });
    await runJobs(optIn.jobIds);
    expect(await roster(mailmanListId)).toEqual([`member:${address}:as_user`, `member:${stranger}:as_address`].sort());
    expect((await mySelfServiceLists(member)).find((e) => e.emailListId === list.value.id)).toMatchObject({ subscribed: true, sync: "done", syncError: null });

    const optOut = await setMySelfServicePreference(member, { emailListId: list.value.id, subscribed: false });
    const run = await runJobs(optOut.jobIds);
    // Quiet: the bulk roster DELETE (no goodbye mail), never a per-member DELETE.
    expect(run.writes.map((c) => `${c.method} ${c.path}`)).toEqual([`DELETE /lists/${mailmanListId}/roster/member`]);
    expect(await roster(mailmanListId)).toEqual([`member:${stranger}:as_address`]);

    // Back on the list by hand; init previews and saves, and the opt-out stays.
    await core.subscribe({ listId: mailmanListId, subscriber: address, preVerified: true, preConfirmed: true, preApproved: true });
    const plan = await planSelfServiceInit(list.value.id);
    expect(plan.subscribed).not.toContain(address);
    expect(plan.unknown).toEqual([stranger]);
    expect(plan.set.some((s) => s.personId === p)).toBe(false);
    const saved = await applySelfServiceInit(list.value.id, plan.fingerprint);
    expect(saved.unknown).toEqual([stranger]);
    const [pref] = await (await getDb()).select().from(listPreferences).where(eq(listPreferences.personId, p));
    expect(pref).toMatchObject({ subscribed: false, source: "user" });
    await expect(applySelfServiceInit(list.value.id, "0".repeat(64))).rejects.toThrow(/changed since the preview/);
  });

  it("init's preview saves nothing; saving records the report's choices for people without one", { timeout: 60_000 }, async () => {
    const targetId = (await makeTarget(admin)).id;
    const tag = uniqueName("ini");
    const eligible = (await createGroup({ name: uniqueName("ini-e"), description: "", status: "active", externalId: null })).value.id;
    const on = await person("On", `on.${tag}@example.org`);
    const off = await person("Off", `off.${tag}@example.org`);
    for (const id of [on, off]) await putMembership(eligible, id, { member: true, owner: false });
    const list = await createEmailList({ targetId, name: uniqueName("ini"), description: "", status: "active", membershipMode: "self_service", membersGroupId: null, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: eligible });
    await runJobs(list.jobIds);
    const mailmanListId = (await getEmailList(list.value.id)).mailmanListId!;
    await core.subscribe({ listId: mailmanListId, subscriber: `on.${tag}@example.org`, preVerified: true, preConfirmed: true, preApproved: true });
    const plan = await planSelfServiceInit(list.value.id);
    expect(plan).toMatchObject({ subscribed: [`on.${tag}@example.org`], unsubscribed: [`off.${tag}@example.org`], skipped: [], unknown: [] });
    const db = await getDb();
    expect(await db.select().from(listPreferences).where(eq(listPreferences.emailListId, list.value.id))).toEqual([]);
    expect((await applySelfServiceInit(list.value.id, plan.fingerprint)).saved).toBe(2);
    const prefs = await db.select().from(listPreferences).where(eq(listPreferences.emailListId, list.value.id));
    expect(prefs.map((r) => `${r.personId}:${r.subscribed}:${r.source}`).sort()).toEqual([`${on}:true:init`, `${off}:false:init`].sort());
  });
});
