import { and, eq, isNull, sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { emailLists, provisioningJobs } from "@/db/schema";
import { listEvents } from "@/lib/provisioning/job-store";
import { testClient, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { runJobs } from "@/tests/support/provisioning";
import type { PlanStep } from "@/lib/provisioning/executor";
import { planFor } from "./plan-request";
import { previewChange } from "./preview";
import { withLock } from "@/lib/provisioning/locks";
import { addMembersByEmail, createEmailList, createGroup, getEmailList, getGroup, provisionEmailList, updateGroup } from "./registry";

/**
 * The plan the console shows before a change (computed in a rolled-back transaction) is what the
 * executor then does, against the real core: same subscriptions, removals, users and lists.
 */

const core = testClient();
let targetId: number;

beforeAll(async () => {
  const admin = await makeUser({ superuser: true });
  targetId = (await makeTarget(admin)).id;
});

/** What the plan view lists (identity steps after a user's creation are only known once it exists). */
const LISTED = new Set(["subscribe", "unsubscribe", "create_user", "create_list", "delete_list", "delete_user"]);
const planned = (steps: readonly PlanStep[]) => steps.filter((s) => LISTED.has(s.op)).map((s) => `${s.op}:${s.role ?? ""}:${s.op === "create_list" ? "" : (s.email ?? "")}`).sort();

async function done(jobIds: readonly number[]) {
  await runJobs(jobIds);
  const events = (await Promise.all(jobIds.map((id) => listEvents({ jobId: id })))).flat();
  return events.filter((e) => LISTED.has(e.op)).map((e) => `${e.op}:${e.role ?? ""}:${e.op === "create_list" ? "" : (e.email ?? "")}`).sort();
}

async function jobCount() {
  const db = await getDb();
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(provisioningJobs).where(eq(provisioningJobs.targetId, targetId));
  return Number(row?.n ?? 0);
}

it("creating a list bound to a group: the plan made before saving is what the run does, and the preview leaves nothing behind", { timeout: 90_000 }, async () => {
  const tag = uniqueName("pv");
  const group = (await createGroup({ name: uniqueName("G-pv"), description: "", status: "active", externalId: null })).value;
  const people = [`ada.${tag}@example.org`, `bob.${tag}@example.org`, `cy.${tag}@example.org`];
  await addMembersByEmail(group.id, people.map((email) => ({ email, displayName: null })));
  const input = { targetId, name: uniqueName("pvlist"), description: "Preview", status: "active" as const, membershipMode: "group" as const, membersGroupId: group.id, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: null };

  const jobsBefore = await jobCount();
  const preview = await previewChange(() => createEmailList(input));
  // Rolled back: no list row, no job, no Mailman list.
  const db = await getDb();
  expect(await db.select().from(emailLists).where(and(eq(emailLists.name, input.name), isNull(emailLists.deletedAt)))).toEqual([]);
  expect(await jobCount()).toBe(jobsBefore);
  expect(await core.getList(`${input.name}@${(await getTargetDomain())}`)).toBeNull();

  expect(preview.summary.counts).toMatchObject({ add: 3, remove: 0, createUser: 3, list: 1 });
  const section = preview.summary.sections[0]!;
  expect(section.add.map((l) => `${l.email} ${l.reason}`).sort()).toEqual(people.map((p) => `${p} in ${group.name}`).sort());

  const created = await createEmailList(input);
  expect(await done(created.jobIds)).toEqual(planned(preview.steps));
  const roster = await core.findMembers({ listId: (await getEmailList(created.value.id)).mailmanListId! }, { count: 100, page: 1 }, ["email"]);
  expect(roster.entries.map((e) => e.email).sort()).toEqual([...people].sort());

  // Suspending the group: planned as removals "G is suspended", an unmanaged entry removed too
  // (the target's default unmanaged mode is remove); the group stays active until applied.
  const mailmanListId = (await getEmailList(created.value.id)).mailmanListId!;
  await core.subscribe({ listId: mailmanListId, subscriber: `hand.${tag}@example.org`, preVerified: true, preConfirmed: true, preApproved: true });
  const suspend = await planFor({ kind: "updateGroup", groupId: group.id, input: { status: "suspended" } });
  expect((await getGroup(group.id)).status).toBe("active");
  const removals = suspend.summary.sections.flatMap((s) => s.remove);
  expect(removals.map((l) => `${l.email} ${l.reason}`).sort()).toEqual(
    [...people.map((p) => `${p} ${group.name} is suspended`), `hand.${tag}@example.org unmanaged, remove mode (no registry person has this Mailman user)`].sort(),
  );
  const suspendPreview = await previewChange(() => updateGroup(group.id, { status: "suspended" }));
  const applied = await updateGroup(group.id, { status: "suspended" });
  expect(await done(applied.jobIds)).toEqual(planned(suspendPreview.steps));
  expect((await core.findMembers({ listId: mailmanListId }, { count: 100, page: 1 })).entries).toEqual([]);
});

it("a plan is shown while a run holds the list's lock (a dry run takes none: on PGlite that run could be waiting for the preview's transaction)", { timeout: 60_000 }, async () => {
  const group = (await createGroup({ name: uniqueName("G-lock"), description: "", status: "active", externalId: null })).value;
  const created = await createEmailList({ targetId, name: uniqueName("pvlock"), description: "", status: "active", membershipMode: "group", membersGroupId: group.id, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: null });
  await runJobs(created.jobIds);
  const db = await getDb();
  const { provisionedLists } = await import("@/db/schema");
  const [mapping] = await db.select().from(provisionedLists).where(eq(provisionedLists.emailListId, created.value.id));
  let release!: () => void;
  const held = withLock("list", targetId, mapping!.id, () => new Promise<void>((r) => (release = r)));
  const preview = await Promise.race([previewChange(() => provisionEmailList(created.value.id)), new Promise<"stuck">((r) => setTimeout(() => r("stuck"), 15_000))]);
  release();
  await held;
  expect(preview).not.toBe("stuck");
  expect((preview as Awaited<ReturnType<typeof previewChange>>).jobs).toHaveLength(1);
});

async function getTargetDomain(): Promise<string> {
  const { loadTarget } = await import("@/lib/provisioning/facts");
  return (await loadTarget(targetId)).domain;
}

it("changing a target's unmanaged mode: the plan names the unmanaged entry it would remove, saving nothing; the save then reconciles exactly that", { timeout: 90_000 }, async () => {
  const { provisionerTargets } = await import("@/db/schema");
  const { reconcileIfPoliciesChanged, targetRow } = await import("@/lib/provisioning/targets-api");
  const db = await getDb();
  const admin = await makeUser({ superuser: true });
  const own = (await makeTarget(admin)).id;
  await db.update(provisionerTargets).set({ unmanagedEmailMode: "ignore" }).where(eq(provisionerTargets.id, own));
  const tag = uniqueName("pol");
  const group = (await createGroup({ name: uniqueName("G-pol"), description: "", status: "active", externalId: null })).value;
  await addMembersByEmail(group.id, [{ email: `kept.${tag}@example.org`, displayName: null }]);
  const created = await createEmailList({ targetId: own, name: uniqueName("pollist"), description: "", status: "active", membershipMode: "group", membersGroupId: group.id, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: null });
  await runJobs(created.jobIds);
  const mailmanListId = (await getEmailList(created.value.id)).mailmanListId!;
  await core.subscribe({ listId: mailmanListId, subscriber: `hand.${tag}@example.org`, preVerified: true, preConfirmed: true, preApproved: true });

  const plan = await planFor({ kind: "updateTargetPolicy", targetId: own, input: { prefEmailType: null, unmanagedEmailMode: "remove", addressConflictMode: "fail" } });
  const removals = plan.summary.sections.flatMap((s) => s.remove);
  expect(removals.map((l) => `${l.email} ${l.reason}`)).toEqual([`hand.${tag}@example.org unmanaged, remove mode (no registry person has this Mailman user)`]);
  expect((await targetRow(own)).unmanagedEmailMode).toBe("ignore");
  expect((await core.findMembers({ listId: mailmanListId }, { count: 10, page: 1 }, ["email"])).entries).toHaveLength(2);

  // The console's save: the changed policy queues a reconcile, which removes what the plan said.
  const before = await targetRow(own);
  await db.update(provisionerTargets).set({ unmanagedEmailMode: "remove" }).where(eq(provisionerTargets.id, own));
  const jobIds = await reconcileIfPoliciesChanged(before, await targetRow(own), admin.id);
  expect(jobIds).toHaveLength(1);
  await runJobs(jobIds);
  expect((await core.findMembers({ listId: mailmanListId }, { count: 10, page: 1 }, ["email"])).entries.map((e) => e.email)).toEqual([`kept.${tag}@example.org`]);
  // Saving again without a change queues nothing.
  expect(await reconcileIfPoliciesChanged(await targetRow(own), await targetRow(own), admin.id)).toEqual([]);
});
