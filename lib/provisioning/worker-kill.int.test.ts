import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, expect, it } from "vitest";

/**
 * A worker killed with SIGKILL during the first provisioning of a 500-person list, then a new
 * one started: the roster is exact, no core user was created twice, and the history is there.
 * On PGlite (one process at a time) the database lives in a directory of its own and this
 * process closes it while a worker runs.
 */

const repoRoot = path.resolve(__dirname, "../..");
const { ownDatabase } = await import("@/tests/support/own-database");
const dropOwnDatabase = await ownDatabase("pkill");

const { closeDb, getDb } = await import("@/db/client");
const schema = await import("@/db/schema");
const { eq, inArray } = await import("drizzle-orm");
const { stopQueue } = await import("@/lib/jobs/queue");
const { createEmailList, createGroup, getEmailList } = await import("@/lib/registry/registry");
const { jobById } = await import("@/lib/api/v1");
const { listEvents } = await import("./job-store");
const { testClient, uniqueName } = await import("@/tests/support/core");
const { makeTarget, makeUser } = await import("@/tests/support/factories");

const children: ChildProcess[] = [];

function startWorker(): { child: ChildProcess; exited: Promise<number | null> } {
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  const child = spawn("npx", ["tsx", "scripts/worker.ts", "--until-idle", "--lease-ms", "2000"], {
    cwd: repoRoot,
    env: { ...env, LOG_LEVEL: "error" },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  children.push(child);
  return { child, exited: new Promise((resolve) => child.on("exit", (code) => resolve(code))) };
}

function kill(child: ChildProcess) {
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // already gone
  }
}

afterAll(async () => {
  for (const child of children) kill(child);
  await closeDb();
  await dropOwnDatabase();
});

const PEOPLE = 500;

it(`first provisioning of ${PEOPLE} people survives a SIGKILL of its worker: exact roster, one core user each, history kept`, { timeout: 1_200_000 }, async () => {
  const core = testClient();
  const admin = await makeUser({ superuser: true });
  const target = await makeTarget(admin);
  const db = await getDb();
  // queue_on_error: a loaded core's passing 500 ("database is locked") is retried, not final.
  await db.update(schema.provisionerTargets).set({ mode: "queue_on_error", retryIntervalS: 1 }).where(eq(schema.provisionerTargets.id, target.id));
  const group = (await createGroup({ name: uniqueName("kill"), description: "", status: "active", externalId: null })).value.id;
  const tag = uniqueName("k");
  const emails = Array.from({ length: PEOPLE }, (_, i) => `k${String(i).padStart(3, "0")}.${tag}@example.org`);
  const people = await db
    .insert(schema.people)
    .values(emails.map((_, i) => ({ displayName: `Person ${i}` })))
    .returning({ id: schema.people.id });
  await db.insert(schema.emailAddresses).values(people.map((p, i) => ({ personId: p.id, mail: emails[i]! })));
  await db.insert(schema.groupMemberships).values(people.map((p) => ({ groupId: group, personId: p.id })));
  const list = await createEmailList({ targetId: target.id, name: uniqueName("kill"), description: "", status: "active", membershipMode: "group", membersGroupId: group, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: null });
  const jobId = list.jobIds[0]!;
  await stopQueue();
  await closeDb();

  const first = startWorker();
  const mailmanListId = `${list.value.name}.${target.domain}`;
  let seen = 0;
  let done = false;
  await new Promise<void>((resolve, reject) => {
    let polling = false;
    const poll = setInterval(async () => {
      // One look at a time: a slow core must not pile up roster reads.
      if (polling) return;
      polling = true;
      const size = await core.rosterSize(mailmanListId, "member").catch(() => 0);
      polling = false;
      if (done) return;
      if (Math.floor(size / 20) > Math.floor(seen / 20)) console.log(`first worker: ${size} members after ${Math.round(performance.now() / 1000)} s`);
      seen = size;
      if (size >= 50) {
        done = true;
        clearInterval(poll);
        kill(first.child);
        resolve();
      }
    }, 100);
    first.exited.then(() => {
      clearInterval(poll);
      reject(new Error(`the worker exited before it was killed (${seen} members)`));
    });
  });
  await first.exited;
  expect(seen).toBeLessThan(PEOPLE);

  const second = startWorker();
  expect(await second.exited).toBe(0);

  const job = await jobById(jobId);
  const unsuccessful = job.items.filter((i) => !["created", "subscribed", "unsubscribed", "updated", "unchanged"].includes(i.outcome));
  expect(job.status, JSON.stringify(unsuccessful.slice(0, 5))).toBe("succeeded");
  expect(job.attempts).toBeGreaterThanOrEqual(2);
  expect((await getEmailList(list.value.id)).mailmanListId).toBe(mailmanListId);

  const roster = await core.fullRoster(mailmanListId, "member", ["email", "subscription_mode", "user"], 1000);
  expect(roster).toHaveLength(PEOPLE);
  expect(new Set(roster.map((m) => m.email))).toEqual(new Set(emails));
  expect(roster.every((m) => m.subscription_mode === "as_user")).toBe(true);

  // One core user per person: the mapped one, and it is the one holding the address.
  const db2 = await getDb();
  const mapped = await db2.select().from(schema.coreUsers).where(inArray(schema.coreUsers.personId, people.map((p) => p.id)));
  expect(mapped).toHaveLength(PEOPLE);
  expect(new Set(mapped.map((m) => m.mailmanUserId)).size).toBe(PEOPLE);
  const byUser = new Map(roster.map((m) => [m.user!.split("/").pop(), m.email]));
  for (const m of mapped) expect(byUser.has(m.mailmanUserId!)).toBe(true);

  // The history of both runs: every person's user creation (or its adoption after the kill) and
  // subscription, except at most the few calls in flight at the moment of the kill.
  const events = await listEvents({ emailListId: list.value.id, limit: 10_000 });
  const personEvents = await listEvents({ jobId, limit: 10_000 });
  const subscribed = new Set(events.filter((e) => e.op === "subscribe" && e.httpStatus === 201).map((e) => e.personId));
  expect(subscribed.size).toBeGreaterThanOrEqual(PEOPLE - 4);
  const created = personEvents.filter((e) => e.op === "create_user" && e.httpStatus === 201);
  expect(created.length).toBeGreaterThanOrEqual(PEOPLE - 4);
  console.log(`killed at ${seen} members; ${created.length} create_user and ${subscribed.size} subscribe events recorded; ${job.attempts} attempts`);
});
