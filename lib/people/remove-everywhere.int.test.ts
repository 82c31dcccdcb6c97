import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditEvents, removeEverywhereItems } from "@/db/schema";
import type { Viewer } from "@/lib/auth/users";
import { InvalidInputError } from "@/lib/errors";
import { startWorker, type WorkerHandle } from "@/lib/jobs/worker";
import { onMailmanCall, withMailmanCallLog, type MailmanCallRecord, type MailmanClient } from "@/lib/mailman";
import { isBanned, removeBan } from "@/lib/mailman/bans";
import { removeMembersInBulk } from "@/lib/mailman/members";
import type { TargetSummary } from "@/lib/targets/targets";
import { testClient, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { previewRemoveEverywhere, removeEverywhereStatus, startRemoveEverywhere } from "./remove-everywhere";
import { runRemoveEverywhereJob } from "./remove-everywhere-run";
import { createRemoveEverywhereJob, getRemoveEverywhereJob } from "./remove-everywhere-store";

let superuser: Viewer;
let target: TargetSummary;
let core: MailmanClient;
let worker: WorkerHandle;
const bans: string[] = [];

const pre = { preVerified: true, preConfirmed: true, preApproved: true } as const;

beforeAll(async () => {
  superuser = await makeUser({ superuser: true });
  target = await makeTarget(superuser);
  core = testClient();
  worker = await startWorker({ leaseMs: 2_000, pollingIntervalSeconds: 0.5, recoveryIntervalMs: 500 });
});

afterAll(async () => {
  await worker?.stop();
  for (const email of bans) await removeBan(core, "global", email).catch(() => undefined);
});

const newList = () => core.createList({ fqdnListname: `${uniqueName("everywhere")}@${target.domain}` });

async function roles(listId: string, email: string): Promise<string[]> {
  const page = await core.findMembers({ listId, subscriber: email }, { count: 10, page: 1 }, ["role"]);
  return page.entries.map((m) => m.role ?? "").sort();
}

async function finished(jobId: number, timeoutMs = 40_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = (await getRemoveEverywhereJob(jobId))!;
    if (job.status !== "queued" && job.status !== "running") return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("remove everywhere", () => {
  it("removes an address from two lists with member and owner chosen, refuses the list it alone owns, and bans it", async () => {
    const address = `${uniqueName("leaver")}@people.example.test`;
    bans.push(address);
    const [memberList, sharedList, soleList] = [await newList(), await newList(), await newList()];
    await core.subscribe({ listId: memberList, subscriber: address, ...pre });
    // A moderator role: not chosen, so it stays.
    await core.subscribe({ listId: memberList, subscriber: address, role: "moderator", ...pre });
    await core.subscribe({ listId: sharedList, subscriber: address, role: "owner", ...pre });
    await core.subscribe({ listId: sharedList, subscriber: `boss-${address}`, role: "owner", ...pre });
    await core.subscribe({ listId: soleList, subscriber: address, role: "owner", ...pre });

    const input = { address: address.toUpperCase(), roles: ["member", "owner"] as ("member" | "owner")[], globalBan: true, targetId: target.id };
    const { result: preview, calls: previewCalls } = await withMailmanCallLog(() => previewRemoveEverywhere(input));
    // Memberships in the search's order (by list id), the ban last.
    const memberships: (string | null)[][] = [
      ["membership", memberList, "member", "remove"],
      ["membership", sharedList, "owner", "remove"],
      ["membership", soleList, "owner", "refuse_last_owner"],
    ];
    memberships.sort((a, b) => a[1]!.localeCompare(b[1]!));
    expect(preview.items.map((i) => [i.kind, i.listId, i.role, i.action])).toEqual([...memberships, ["ban", null, null, "ban"]]);
    expect(preview.kept.map((m) => [m.listId, m.role])).toEqual([[memberList, "moderator"]]);
    // The search (user + members/find of the one address) and one owner roster per owned list.
    expect(previewCalls.length).toBe(2 + 2);

    await expect(startRemoveEverywhere({ ...input, confirmation: "someone-else@example.org" }, superuser.id)).rejects.toThrow(InvalidInputError);

    const jobCalls: MailmanCallRecord[] = [];
    const stop = onMailmanCall((call) => {
      if (call.method !== "GET" || call.path.includes("/roster/owner")) jobCalls.push(call);
    });
    const { result: started, calls: startCalls } = await withMailmanCallLog(() => startRemoveEverywhere({ ...input, confirmation: ` ${address} ` }, superuser.id));
    const { jobId } = started;
    // The start plans again (the preview is only a prediction): the same calls.
    expect(startCalls.length).toBe(previewCalls.length);
    const job = await finished(jobId);
    stop();
    expect(job.status).toBe("done");

    const status = await removeEverywhereStatus(job);
    const byList = Object.fromEntries(status.rows.map((r) => [r.listId ?? "ban", r]));
    expect(byList[memberList]).toMatchObject({ role: "member", outcome: "removed" });
    expect(byList[sharedList]).toMatchObject({ role: "owner", outcome: "removed" });
    expect(byList[soleList]).toMatchObject({ role: "owner", outcome: "refused_last_owner" });
    expect(byList[soleList]!.detail).toContain("without an owner");
    expect(byList.ban).toMatchObject({ kind: "ban", outcome: "banned" });
    expect(status).toMatchObject({ total: 4, done: 4, outcomes: { removed: 2, refused_last_owner: 1, banned: 1 } });

    // What the core says afterwards.
    expect(await roles(memberList, address)).toEqual(["moderator"]);
    expect(await roles(sharedList, address)).toEqual([]);
    expect(await roles(soleList, address)).toEqual(["owner"]);
    expect(await isBanned(core, "global", address)).toBe(true);

    // Budget of the run: member 1 call, owner 2 (roster, removal), refused owner 1, ban 1.
    const ours = (c: MailmanCallRecord) => [memberList, sharedList, soleList].some((l) => c.path.includes(l)) || /^(\/3\.1)?\/bans/.test(c.path);
    expect(jobCalls.filter(ours).length - startCalls.filter((c) => c.method !== "GET" || c.path.includes("/roster/owner")).filter(ours).length).toBe(5);

    const db = await getDb();
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.subject, address));
    expect(audit.map((a) => a.action).sort()).toEqual(["people.remove_everywhere", "people.remove_everywhere.finished"]);
  });

  it("covers the person's other addresses only when chosen", async () => {
    const primary = `${uniqueName("two")}@people.example.test`;
    const alternate = `alt-${primary}`;
    const location = await core.create("/users", { email: primary });
    await core.create(`/users/${location.split("/").pop()}/addresses`, { email: alternate });
    const [first, second] = [await newList(), await newList()];
    await core.subscribe({ listId: first, subscriber: primary, ...pre });
    await core.subscribe({ listId: second, subscriber: alternate, ...pre });

    const typedOnly = await previewRemoveEverywhere({ address: primary, targetId: target.id, globalBan: true });
    expect(typedOnly.otherAddresses).toEqual([alternate]);
    expect(typedOnly.items.map((i) => [i.kind, i.listId, i.email])).toEqual([
      ["membership", first, primary],
      ["ban", null, primary],
    ]);
    const both = await previewRemoveEverywhere({ address: primary, targetId: target.id, globalBan: true, otherAddresses: true });
    expect(both.addresses).toEqual([primary, alternate]);
    expect(both.items.filter((i) => i.kind === "membership").map((i) => i.email).sort()).toEqual([alternate, primary].sort());
    expect(both.items.filter((i) => i.kind === "ban").map((i) => i.email)).toEqual([primary, alternate]);
  });

  it("refuses a start with nothing to remove", async () => {
    const address = `${uniqueName("nobody")}@people.example.test`;
    await expect(startRemoveEverywhere({ address, roles: ["member"], targetId: target.id, confirmation: address }, superuser.id)).rejects.toThrow(/Nothing to do/);
  });

  it("carries on after a worker stopped mid-way, reading an item in doubt as removed", async () => {
    const address = `${uniqueName("resume")}@people.example.test`;
    const lists = [await newList(), await newList(), await newList()];
    for (const listId of lists) await core.subscribe({ listId, subscriber: address, ...pre });
    const preview = await previewRemoveEverywhere({ address, roles: ["member"], targetId: target.id });
    expect(preview.items).toHaveLength(3);
    const jobId = await createRemoveEverywhereJob({ address, addresses: [address], roles: ["member"], globalBan: false, createdBy: superuser.id, items: preview.items });

    // Worker 1 stops (is asked to) after its first item.
    const abort = new AbortController();
    const first = await runRemoveEverywhereJob(jobId, { workerId: "test-worker-1", leaseMs: 60_000, signal: abort.signal, onItem: () => abort.abort() });
    expect(first).toBe("stopped");
    const db = await getDb();
    const states = async () => (await db.select().from(removeEverywhereItems).where(eq(removeEverywhereItems.jobId, jobId))).sort((a, b) => a.position - b.position);
    expect((await states()).map((i) => i.state)).toEqual(["done", "pending", "pending"]);

    // The second item as a worker that died right after its call leaves it: removed in the core, `sending` here.
    const second = (await states())[1]!;
    await removeMembersInBulk(core, second.listId!, [address]);
    await db.execute(sql`update remove_everywhere_items set state = 'sending', attempts = 1 where job_id = ${jobId} and position = ${second.position}`);

    // The running worker takes the abandoned job over and finishes it.
    const job = await finished(jobId);
    expect(job.status).toBe("done");
    const rows = await states();
    expect(rows.map((r) => r.outcome)).toEqual(["removed", "removed", "removed"]);
    expect(rows[1]!.detail).toMatch(/interrupted/);
    expect(rows[1]!.attempts).toBe(2);
    for (const listId of lists) expect(await roles(listId, address)).toEqual([]);
  });
});
