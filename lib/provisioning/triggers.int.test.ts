import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { provisionerTargets } from "@/db/schema";
import { createEmailList, createGroup, createPerson, deleteGroup, getEmailList, provisionPerson, putMembership, updatePerson } from "@/lib/registry/registry";
import { testClient, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { jobReport, runJobs } from "@/tests/support/provisioning";
import { queueJobs } from "./enqueue";
import { runProvisioningJob } from "./run-job";

/** More rows of the §8.3 trigger matrix and bullets of §8.4–8.7, against the real core. */

const core = testClient();
let targetId: number;

beforeAll(async () => {
  const admin = await makeUser({ superuser: true });
  targetId = (await makeTarget(admin)).id;
});

async function roster(listId: string) {
  const page = await core.findMembers({ listId }, { count: 1000, page: 1 }, ["email", "role", "subscription_mode"]);
  return page.entries.map((e) => `${e.role}:${e.email}:${e.subscription_mode}`).sort();
}

async function person(name: string, address: string) {
  return (await createPerson({ displayName: name, givenName: "", familyName: "", status: "active", externalId: null, emails: [{ address, type: "official", verified: false }] })).value.id;
}

async function groupList(prefix: string, extra: { admins?: boolean } = {}) {
  const members = (await createGroup({ name: uniqueName(`${prefix}-m`), description: "", status: "active", externalId: null })).value.id;
  const admins = extra.admins ? (await createGroup({ name: uniqueName(`${prefix}-a`), description: "", status: "active", externalId: null })).value.id : null;
  const list = await createEmailList({ targetId, name: uniqueName(prefix), description: "", status: "active", membershipMode: "group", membersGroupId: members, adminsGroupId: admins, moderatorsGroupId: null, eligibilityGroupId: null });
  await runJobs(list.jobIds);
  return { members, admins, listId: list.value.id, mailmanListId: (await getEmailList(list.value.id)).mailmanListId! };
}

it("time passes: the sweep removes a person whose membership window closed, and adds one whose window opened", { timeout: 60_000 }, async () => {
  const s = await groupList("sweep");
  const tag = uniqueName("sw");
  const leaving = await person("Leaving", `leaving.${tag}@example.org`);
  const arriving = await person("Arriving", `arriving.${tag}@example.org`);
  // Far enough ahead that both writes are done before it, even on a loaded machine.
  const boundary = new Date(Date.now() + 6000);
  await runJobs((await putMembership(s.members, leaving, { member: true, owner: false, validThrough: boundary.toISOString() })).jobIds);
  await runJobs((await putMembership(s.members, arriving, { member: true, owner: false, validFrom: boundary.toISOString() })).jobIds);
  // Written with windows not yet closed/opened: takes effect at the write.
  expect(await roster(s.mailmanListId)).toEqual([`member:leaving.${tag}@example.org:as_user`]);
  await new Promise((r) => setTimeout(r, Math.max(0, boundary.getTime() - Date.now()) + 300));
  const [sweepId] = await queueJobs([{ targetId, subjectType: "sweep", subjectId: null, action: "sweep", options: { since: new Date(boundary.getTime() - 1000).toISOString() } }], { explicit: true });
  await runJobs([sweepId!]);
  expect(await roster(s.mailmanListId)).toEqual([`member:arriving.${tag}@example.org:as_user`]);
});

it("group delete: the binding now counts as empty, its managed entries are removed", { timeout: 60_000 }, async () => {
  const s = await groupList("gdel");
  const tag = uniqueName("gd");
  const p = await person("P", `p.${tag}@example.org`);
  await runJobs((await putMembership(s.members, p, { member: true, owner: false })).jobIds);
  expect(await roster(s.mailmanListId)).toHaveLength(1);
  await runJobs((await deleteGroup(s.members)).jobIds);
  expect(await roster(s.mailmanListId)).toEqual([]);
});

it("a managed user subscribed by hand, or who left in Postorius, is put back in line by the next list reconcile; P5 never touches unmanaged entries", { timeout: 60_000 }, async () => {
  const s = await groupList("drift");
  const other = await groupList("drift-other");
  const tag = uniqueName("dr");
  const p = await person("P", `p.${tag}@example.org`);
  await runJobs((await putMembership(s.members, p, { member: true, owner: false })).jobIds);
  const userId = (await core.getUser(`p.${tag}@example.org`))!.user_id;
  // By hand: on a list whose group P is not in, and off the list P belongs on.
  await core.subscribe({ listId: other.mailmanListId, subscriber: userId, preVerified: true, preConfirmed: true, preApproved: true });
  await core.subscribe({ listId: other.mailmanListId, subscriber: `hand.${tag}@example.org`, preVerified: true, preConfirmed: true, preApproved: true });
  const entry = (await core.findMembers({ listId: s.mailmanListId }, { count: 10, page: 1 })).entries[0]!;
  await core.deleteMember(entry.member_id!);
  const personRun = await runJobs(await queueJobs([{ targetId, subjectType: "person", subjectId: p, action: "provision" }], { explicit: true }));
  expect(personRun.writes.map((c) => `${c.method} ${c.path.split("/")[1]}`).sort()).toEqual(["DELETE lists", "POST members"]);
  expect(await roster(s.mailmanListId)).toEqual([`member:p.${tag}@example.org:as_user`]);
  expect(await roster(other.mailmanListId)).toEqual([`member:hand.${tag}@example.org:as_address`]);
});

it("quiet_unsubscribe off on a moderated list: DELETE /members/{id}?pre_approved=true removes at once", { timeout: 60_000 }, async () => {
  const db = await getDb();
  await db.update(provisionerTargets).set({ quietUnsubscribe: false }).where(eq(provisionerTargets.id, targetId));
  try {
    const s = await groupList("modl");
    await core.patchListConfig(s.mailmanListId, { unsubscription_policy: "moderate", subscription_policy: "moderate" });
    const tag = uniqueName("mo");
    const p = await person("P", `p.${tag}@example.org`);
    await runJobs((await putMembership(s.members, p, { member: true, owner: false })).jobIds);
    expect(await roster(s.mailmanListId)).toHaveLength(1);
    const run = await runJobs((await updatePerson(p, { status: "expired" })).jobIds);
    expect(run.writes.map((c) => `${c.method} ${c.path.replace(/[0-9a-f]{32}/, "ID")}`)).toEqual(["DELETE /members/ID"]);
    expect(await roster(s.mailmanListId)).toEqual([]);
  } finally {
    await db.update(provisionerTargets).set({ quietUnsubscribe: true }).where(eq(provisionerTargets.id, targetId));
  }
});

it("a secondary address held by another unmapped user: a warning in fail mode; absorb merges it", { timeout: 60_000 }, async () => {
  const s = await groupList("abs");
  const tag = uniqueName("ab");
  await core.create("/users", { email: `second.${tag}@example.org` });
  const p = (await createPerson({ displayName: "P", givenName: "", familyName: "", status: "active", externalId: null, emails: [{ address: `main.${tag}@example.org`, type: "list", verified: false }, { address: `second.${tag}@example.org`, type: "personal", verified: false }] })).value.id;
  const changed = await putMembership(s.members, p, { member: true, owner: false });
  await runJobs(changed.jobIds);
  const report = await jobReport(changed.jobIds[0]!);
  expect(report.items).toEqual(expect.arrayContaining([expect.objectContaining({ outcome: "warning", email: `second.${tag}@example.org` })]));
  expect(report.job.status).toBe("succeeded");
  expect(await roster(s.mailmanListId)).toEqual([`member:main.${tag}@example.org:as_user`]);
  const mine = (await core.getUser(`main.${tag}@example.org`))!.user_id;
  expect((await core.getUser(`second.${tag}@example.org`))!.user_id).not.toBe(mine);

  const db = await getDb();
  await db.update(provisionerTargets).set({ addressConflictMode: "absorb" }).where(eq(provisionerTargets.id, targetId));
  try {
    await runJobs((await provisionPerson(p, targetId)).jobIds);
    expect((await core.getUser(`second.${tag}@example.org`))!.user_id).toBe(mine);
  } finally {
    await db.update(provisionerTargets).set({ addressConflictMode: "fail" }).where(eq(provisionerTargets.id, targetId));
  }
});

it("two people sharing an address: whoever is mapped first keeps it, the other gets a conflict", { timeout: 60_000 }, async () => {
  const s = await groupList("share");
  const tag = uniqueName("sh");
  const a = await person("A", `shared.${tag}@example.org`);
  const b = await person("B", `shared.${tag}@example.org`);
  await runJobs((await putMembership(s.members, a, { member: true, owner: false })).jobIds);
  const second = await putMembership(s.members, b, { member: true, owner: false });
  await runJobs(second.jobIds);
  expect((await jobReport(second.jobIds[0]!)).items).toEqual([expect.objectContaining({ personId: b, outcome: "conflict" })]);
  expect(await roster(s.mailmanListId)).toEqual([`member:shared.${tag}@example.org:as_user`]);
  void runProvisioningJob;
});
