import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { coreUsers, provisionerTargets, provisioningConflicts } from "@/db/schema";
import {
  createEmailList,
  createGroup,
  createPerson,
  deleteEmailList,
  deletePerson,
  putMembership,
  setPreference,
  updateEmailList,
  updateGroup,
  updatePerson,
} from "@/lib/registry/registry";
import { testClient, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { jobReport, runJobs } from "@/tests/support/provisioning";
import { listEvents } from "./job-store";
import { planJob } from "./run-job";

/**
 * The executor against the real core, through the registry changes that trigger it (§8.3), with
 * the core's rosters read back over REST and its calls counted.
 */

const core = testClient();
let targetId: number;
let domain: string;

beforeAll(async () => {
  const admin = await makeUser({ superuser: true });
  const target = await makeTarget(admin);
  targetId = target.id;
  domain = target.domain;
});

async function roster(listId: string) {
  const page = await core.findMembers({ listId }, { count: 1000, page: 1 }, ["email", "role", "subscription_mode", "member_id", "user"]);
  return page.entries
    .map((e) => ({ email: e.email!, role: e.role!, mode: e.subscription_mode!, memberId: e.member_id!, user: e.user?.split("/").pop() ?? null }))
    .sort((a, b) => `${a.role}${a.email}`.localeCompare(`${b.role}${b.email}`));
}
const short = (r: Awaited<ReturnType<typeof roster>>) => r.map((e) => `${e.role}:${e.email}:${e.mode}`);

async function person(name: string, emails: { address: string; type?: string }[], status: "active" | "suspended" = "active") {
  const { value } = await createPerson({ displayName: name, givenName: "", familyName: "", status, externalId: null, emails: emails.map((e) => ({ address: e.address, type: e.type ?? "official", verified: false })) });
  return value.id;
}

async function setup(prefix: string, options: { ownerGroup?: boolean } = {}) {
  const members = (await createGroup({ name: uniqueName(`${prefix}-m`), description: "", status: "active", externalId: null })).value.id;
  const owners = options.ownerGroup ? (await createGroup({ name: uniqueName(`${prefix}-o`), description: "", status: "active", externalId: null })).value.id : null;
  const tag = uniqueName(prefix);
  const ada = await person("Ada", [{ address: `Ada.${tag}@example.org` }]);
  const bob = await person("Bob", [{ address: `bob.${tag}@example.org`, type: "personal" }, { address: `bob-list.${tag}@example.org`, type: "list" }]);
  for (const p of [ada, bob]) await putMembership(members, p, { member: true, owner: false });
  if (owners) await putMembership(owners, ada, { member: true, owner: false });
  const list = await createEmailList({
    targetId,
    name: uniqueName(prefix),
    description: "Provisioned",
    status: "active",
    membershipMode: "group",
    membersGroupId: members,
    adminsGroupId: owners,
    moderatorsGroupId: null,
    eligibilityGroupId: null,
  });
  const first = await runJobs(list.jobIds);
  const { value } = await (await import("@/lib/registry/registry")).getEmailList(list.value.id).then((v) => ({ value: v }));
  return { tag, ada, bob, members, owners, listId: value.id, mailmanListId: value.mailmanListId!, first };
}

describe("list add (P1 + P2 + P4) and the steady state", () => {
  it("creates the list, one core user per person on the preferred address (§2.4), as_user members and as_address owners; a re-run writes nothing", { timeout: 60_000 }, async () => {
    const s = await setup("add", { ownerGroup: true });
    expect(s.mailmanListId).toMatch(new RegExp(`\\.${domain.replace(/\./g, "\\.")}$`));
    expect(short(await roster(s.mailmanListId))).toEqual([
      `member:ada.${s.tag}@example.org:as_user`,
      `member:bob-list.${s.tag}@example.org:as_user`,
      `owner:ada.${s.tag}@example.org:as_address`,
    ]);
    const list = await core.getList(s.mailmanListId);
    expect(list?.description).toBe("Provisioned");
    // Every address of Bob's is on his core user, verified; the preferred one is the "list" type.
    const bobUser = await core.getUser(`bob.${s.tag}@example.org`);
    const preferred = await core.getOrNull(`/users/${bobUser!.user_id}/preferred_address`, (await import("@/lib/mailman/schemas")).addressSchema);
    expect(preferred?.email).toBe(`bob-list.${s.tag}@example.org`);
    expect((await core.userAddresses(bobUser!.user_id)).every((a) => a.verified_on)).toBe(true);
    const { job } = await jobReport(s.first.calls.length > 0 ? (await listEvents({ emailListId: s.listId }))[0]!.jobId! : 0);
    expect(job.status).toBe("succeeded");
    // A new person costs the floor's calls: POST /users straight away, no look-up before it.
    expect(s.first.calls.filter((c) => c.method === "GET" && c.path.startsWith("/users/"))).toEqual([]);
    // Never absorb_existing=false, never a PATCH of preferred_address.
    expect(s.first.writes.some((c) => c.method === "PATCH" && c.path.startsWith("/users/") && !c.path.includes("addresses"))).toBe(false);

    const repair = await (await import("@/lib/provisioning/enqueue")).queueJobs([{ targetId, subjectType: "list", subjectId: s.listId, action: "sync" }], { explicit: true });
    const again = await runJobs(repair);
    expect(again.writes).toEqual([]);
    expect(again.calls.map((c) => `${c.method} ${c.path}`)).toEqual([`GET /lists/${s.mailmanListId}`, "GET /members/find"]);
  });
});

describe("person changes (P5)", () => {
  it("a new preferred address: the as_user member follows with its member id kept, the owner row moves, the stale address goes (add → verify → preferred → delete)", { timeout: 60_000 }, async () => {
    const s = await setup("addr", { ownerGroup: true });
    const before = await roster(s.mailmanListId);
    const memberId = before.find((e) => e.role === "member" && e.email.startsWith("ada."))!.memberId;
    const changed = await updatePerson(s.ada, { emails: [{ address: `ada-new.${s.tag}@example.org`, type: "list", verified: false }] });
    const run = await runJobs(changed.jobIds);
    const after = await roster(s.mailmanListId);
    expect(short(after)).toEqual([
      `member:ada-new.${s.tag}@example.org:as_user`,
      `member:bob-list.${s.tag}@example.org:as_user`,
      `owner:ada-new.${s.tag}@example.org:as_address`,
    ]);
    expect(after.find((e) => e.role === "member" && e.email.startsWith("ada-new"))!.memberId).toBe(memberId);
    const order = run.writes.map((c) => `${c.method} ${c.path.replace(/[0-9a-f]{32}/, "U").replace(/\/addresses\/[^/]+/, "/addresses/A")}`);
    expect(order).toEqual(["POST /users/U/addresses", "POST /addresses/A/verify", "POST /users/U/preferred_address", "DELETE /addresses/A", "POST /members"]);
    expect(await core.getAddress(`ada.${s.tag}@example.org`)).toBeNull();
  });

  it("suspend removes every membership and keeps the user; reactivate subscribes again; delete removes the user", { timeout: 60_000 }, async () => {
    const s = await setup("susp");
    const userId = (await core.getUser(`bob.${s.tag}@example.org`))!.user_id;
    await runJobs((await updatePerson(s.bob, { status: "suspended" })).jobIds);
    expect(short(await roster(s.mailmanListId))).toEqual([`member:ada.${s.tag}@example.org:as_user`]);
    expect((await core.getUser(userId))?.user_id).toBe(userId);
    await runJobs((await updatePerson(s.bob, { status: "active" })).jobIds);
    expect(short(await roster(s.mailmanListId))).toHaveLength(2);
    const gone = await runJobs((await deletePerson(s.bob)).jobIds);
    expect(gone.writes.map((c) => c.method + " " + c.path.replace(/[0-9a-f]{32}/, "U"))).toEqual(["DELETE /users/U"]);
    expect(await core.getUser(userId)).toBeNull();
    expect(short(await roster(s.mailmanListId))).toEqual([`member:ada.${s.tag}@example.org:as_user`]);
    const history = await listEvents({ personId: s.bob });
    expect(history.map((e) => e.op)).toEqual(expect.arrayContaining(["create_user", "subscribe", "unsubscribe", "delete_user"]));
  });

  it("a person of the group without any address is an error item, never silently dropped", { timeout: 60_000 }, async () => {
    const s = await setup("noaddr");
    const carl = await person("Carl", []);
    const changed = await putMembership(s.members, carl, { member: true, owner: false });
    await runJobs(changed.jobIds);
    const { job, items } = await jobReport(changed.jobIds[0]!);
    expect(items).toEqual([expect.objectContaining({ personId: carl, outcome: "error", message: "no preferred email address" })]);
    expect(job.status).toBe("failed");
  });
});

describe("group and list changes (P4)", () => {
  it("group suspended → its members removed; active again → added back", { timeout: 60_000 }, async () => {
    const s = await setup("grp");
    await runJobs((await updateGroup(s.members, { status: "suspended" })).jobIds);
    expect(await roster(s.mailmanListId)).toEqual([]);
    await runJobs((await updateGroup(s.members, { status: "active" })).jobIds);
    expect(await roster(s.mailmanListId)).toHaveLength(2);
  });

  it("list suspend removes managed and unmanaged members (remove mode) but never nonmembers; delete removes the list", { timeout: 60_000 }, async () => {
    const s = await setup("lsus");
    await core.subscribe({ listId: s.mailmanListId, subscriber: `stranger.${s.tag}@example.org`, preVerified: true, preConfirmed: true, preApproved: true });
    await core.subscribe({ listId: s.mailmanListId, subscriber: `poster.${s.tag}@example.org`, role: "nonmember" });
    const run = await runJobs((await updateEmailList(s.listId, { status: "suspended" })).jobIds);
    expect(short(await roster(s.mailmanListId))).toEqual([`nonmember:poster.${s.tag}@example.org:as_address`]);
    // Quiet: one bulk roster DELETE for all three members.
    expect(run.writes.map((c) => `${c.method} ${c.path}`)).toEqual([`DELETE /lists/${s.mailmanListId}/roster/member`]);
    await runJobs((await deleteEmailList(s.listId)).jobIds);
    expect(await core.getList(s.mailmanListId)).toBeNull();
  });

  it("ignore mode leaves unmanaged members on the list", { timeout: 60_000 }, async () => {
    const db = await getDb();
    await db.update(provisionerTargets).set({ unmanagedEmailMode: "ignore" }).where(eq(provisionerTargets.id, targetId));
    try {
      const s = await setup("ign");
      await core.subscribe({ listId: s.mailmanListId, subscriber: `stranger.${s.tag}@example.org`, preVerified: true, preConfirmed: true, preApproved: true });
      await runJobs((await updateEmailList(s.listId, { status: "suspended" })).jobIds);
      expect(short(await roster(s.mailmanListId))).toEqual([`member:stranger.${s.tag}@example.org:as_address`]);
    } finally {
      await db.update(provisionerTargets).set({ unmanagedEmailMode: "remove" }).where(eq(provisionerTargets.id, targetId));
    }
  });

  it("a provisioned list cannot be renamed (409), Mailman untouched", { timeout: 60_000 }, async () => {
    const s = await setup("ren");
    await expect(updateEmailList(s.listId, { name: "other-name" })).rejects.toThrow(/cannot be renamed/);
  });
});

describe("conflicts (§8.5)", () => {
  it("fail: an address held by a user Listkeeper did not create is a conflict; adopt takes it over when it holds only the person's addresses", { timeout: 60_000 }, async () => {
    const s = await setup("conf");
    const email = `taken.${s.tag}@example.org`;
    await core.create("/users", { email });
    const dana = await person("Dana", [{ address: email }]);
    const changed = await putMembership(s.members, dana, { member: true, owner: false });
    await runJobs(changed.jobIds);
    expect((await jobReport(changed.jobIds[0]!)).items).toEqual([expect.objectContaining({ outcome: "conflict", email })]);
    const db = await getDb();
    expect(await db.select().from(provisioningConflicts).where(eq(provisioningConflicts.personId, dana))).toHaveLength(1);
    expect(short(await roster(s.mailmanListId))).not.toContain(`member:${email}:as_user`);
    // An open conflict is never retried on its own: the next sync of the person writes nothing.
    const { queueJobs } = await import("@/lib/provisioning/enqueue");
    const again = await runJobs(await queueJobs([{ targetId, subjectType: "person", subjectId: dana, action: "sync" }], { explicit: true }));
    expect(again.writes).toEqual([]);

    await db.update(provisionerTargets).set({ addressConflictMode: "adopt" }).where(eq(provisionerTargets.id, targetId));
    await db.delete(provisioningConflicts).where(eq(provisioningConflicts.personId, dana));
    try {
      await runJobs((await updatePerson(dana, { displayName: "Dana D." })).jobIds);
      expect(short(await roster(s.mailmanListId))).toContain(`member:${email}:as_user`);
      const [row] = await db.select().from(coreUsers).where(eq(coreUsers.personId, dana));
      expect(row?.mailmanUserId).toBe((await core.getUser(email))!.user_id);
    } finally {
      await db.update(provisionerTargets).set({ addressConflictMode: "fail" }).where(eq(provisionerTargets.id, targetId));
    }
  });
});

describe("self-service lists (§8.6) and dry runs", () => {
  it("pref true subscribes, false unsubscribes, unmanaged entries are never touched", { timeout: 60_000 }, async () => {
    const eligible = (await createGroup({ name: uniqueName("elig"), description: "", status: "active", externalId: null })).value.id;
    const tag = uniqueName("ss");
    const erin = await person("Erin", [{ address: `erin.${tag}@example.org` }]);
    await putMembership(eligible, erin, { member: true, owner: false });
    const outsider = await person("Out", [{ address: `out.${tag}@example.org` }]);
    const list = await createEmailList({ targetId, name: uniqueName("ss"), description: "", status: "active", membershipMode: "self_service", membersGroupId: null, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: eligible });
    await runJobs(list.jobIds);
    const mailmanListId = (await (await import("@/lib/registry/registry")).getEmailList(list.value.id)).mailmanListId!;
    await core.subscribe({ listId: mailmanListId, subscriber: `hand.${tag}@example.org`, preVerified: true, preConfirmed: true, preApproved: true });
    await expect(setPreference(list.value.id, outsider, true)).rejects.toThrow(/may not join/);
    await runJobs((await setPreference(list.value.id, erin, true)).jobIds);
    expect(short(await roster(mailmanListId))).toEqual([`member:erin.${tag}@example.org:as_user`, `member:hand.${tag}@example.org:as_address`]);
    await runJobs((await setPreference(list.value.id, erin, false)).jobIds);
    expect(short(await roster(mailmanListId))).toEqual([`member:hand.${tag}@example.org:as_address`]);
  });

  it("a dry run returns the plan of the same diff and changes nothing", { timeout: 60_000 }, async () => {
    const s = await setup("dry");
    const frank = await person("Frank", [{ address: `frank.${s.tag}@example.org` }]);
    const db = await getDb();
    const { groupMemberships } = await import("@/db/schema");
    await db.insert(groupMemberships).values({ groupId: s.members, personId: frank });
    const plan = await planJob({ targetId, subjectType: "list", subjectId: s.listId, action: "sync" });
    expect(plan.map((p) => `${p.op}:${p.email ?? ""}`)).toEqual([`create_user:frank.${s.tag}@example.org`, `subscribe:frank.${s.tag}@example.org`]);
    expect(await core.getUser(`frank.${s.tag}@example.org`)).toBeNull();
    expect(await roster(s.mailmanListId)).toHaveLength(2);
  });
});

describe("a database that goes away mid-run", () => {
  it("leaves the job running to be run again when its lease expires, not failed; the next run converges", { timeout: 60_000 }, async () => {
    const { withDbScope } = await import("@/db/client");
    const { provisioningJobItems } = await import("@/db/schema");
    const { getJob } = await import("./job-store");
    const { runProvisioningJob } = await import("./run-job");
    const members = (await createGroup({ name: uniqueName("gone-m"), description: "", status: "active", externalId: null })).value.id;
    const tag = uniqueName("gone");
    for (const name of ["ann", "ben"]) await putMembership(members, await person(name, [{ address: `${name}.${tag}@example.org` }]), { member: true, owner: false });
    const list = await createEmailList({ targetId, name: uniqueName("gone"), description: "", status: "active", membershipMode: "group", membersGroupId: members, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: null });
    const jobId = list.jobIds[0]!;

    // What drizzle throws when PostgreSQL restarts under a query (SQLSTATE 57P01), here when the
    // run records its items, after every core call was made.
    const restarted = Object.assign(new Error("Failed query: insert into provisioning_job_items …"), {
      query: "insert into provisioning_job_items …",
      params: [],
      cause: Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
    });
    const db = await getDb();
    const goingAway = new Proxy(db, {
      get(target, prop, receiver) {
        if (prop === "insert") return (table: unknown) => {
          if (table === provisioningJobItems) throw restarted;
          return target.insert(table as never);
        };
        return Reflect.get(target, prop, receiver);
      },
    });
    expect(await withDbScope(goingAway, () => runProvisioningJob(jobId, { workerId: "first", leaseMs: 300 }))).toBe("interrupted");
    expect((await getJob(jobId))?.status).toBe("running");

    await new Promise((resolve) => setTimeout(resolve, 400)); // the unrenewed lease expires
    expect(await runProvisioningJob(jobId, { workerId: "next" })).toBe("succeeded");
    const mailmanListId = (await (await import("@/lib/registry/registry")).getEmailList(list.value.id)).mailmanListId!;
    expect(short(await roster(mailmanListId))).toEqual([`member:ann.${tag}@example.org:as_user`, `member:ben.${tag}@example.org:as_user`]);
  });
});
