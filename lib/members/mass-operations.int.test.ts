import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeList, type ListAccess } from "@/lib/auth/list-access";
import type { Viewer } from "@/lib/auth/users";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { startWorker, type WorkerHandle } from "@/lib/jobs/worker";
import type { MailmanClient } from "@/lib/mailman";
import { addBan } from "@/lib/mailman/bans";
import type { TargetSummary } from "@/lib/targets/targets";
import { testClient, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { allReportRows, claimPendingItems, getBulkJob, type BulkJob } from "./bulk-store";
import { massRemoveStartSchema, massSubscribeStartSchema, removeAllStartSchema } from "./mass-input";
import { loadListBulkJob, preflightRemove, preflightSubscribe, startMassRemove, startMassSubscribe, startRemoveAll } from "./mass-operations";
import { getDb } from "@/db/client";
import { bulkJobs } from "@/db/schema";
import { eq, sql } from "drizzle-orm";
import { createBulkJob } from "./bulk-store";

let superuser: Viewer;
let target: TargetSummary;
let core: MailmanClient;
let worker: WorkerHandle;

beforeAll(async () => {
  superuser = await makeUser({ superuser: true });
  target = await makeTarget(superuser);
  core = testClient();
  worker = await startWorker({ leaseMs: 2_000, pollingIntervalSeconds: 0.5, recoveryIntervalMs: 500 });
});

afterAll(async () => {
  await worker?.stop();
});

const subscribed = { preVerified: true, preConfirmed: true, preApproved: true } as const;

async function ownedList(members: string[] = []): Promise<{ access: ListAccess; listId: string }> {
  const owner = await makeUser();
  const listId = await core.createList({ fqdnListname: `${uniqueName("mass")}@${target.domain}` });
  await core.subscribe({ listId, subscriber: owner.verifiedEmails[0]!, role: "owner", ...subscribed });
  for (const email of members) await core.subscribe({ listId, subscriber: email, ...subscribed });
  return { access: await authorizeList(owner, target.id, listId, "administer"), listId };
}

async function finished(jobId: number, timeoutMs = 50_000): Promise<BulkJob> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await getBulkJob(jobId);
    if (job && (job.status === "done" || job.status === "failed" || job.status === "cancelled")) return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${job?.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function report(jobId: number): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const row of allReportRows(jobId)) out[row.email] = `${row.outcome}${row.detail && row.outcome === "invalid" ? `: ${row.detail}` : ""}`;
  return out;
}

async function rosterEmails(listId: string): Promise<string[]> {
  return (await core.fullRoster(listId, "member", ["email"])).map((m) => m.email ?? "").sort();
}

describe("mass subscribe", () => {
  it("previews each address, then subscribes, and reports members, bans, pending and invalid lines", async () => {
    const { access, listId } = await ownedList(["old@mass.example"]);
    await addBan(core, { listId }, "banned@mass.example");
    // An earlier request waiting for the address owner's confirmation.
    await core.subscribe({ listId, subscriber: "waiting@mass.example" });
    const input = [
      "Ann Example <ann@mass.example>",
      "bob@mass.example (Bob)",
      "OLD@mass.example",
      "banned@mass.example",
      "waiting@mass.example",
      "not-an-address",
      "ANN@MASS.EXAMPLE",
      "carol@mass.example",
    ].join("\n");
    const ref = { targetId: target.id, listId };

    const preview = await preflightSubscribe(access, { ...ref, format: "text", input });
    expect(preview.rows.map((r) => [r.email, r.prediction])).toEqual([
      ["ann@mass.example", "subscribe"],
      ["bob@mass.example", "subscribe"],
      ["OLD@mass.example", "member"],
      ["banned@mass.example", "banned"],
      ["waiting@mass.example", "pending"],
      ["carol@mass.example", "subscribe"],
    ]);
    expect(preview.invalid).toEqual([{ line: 6, raw: "not-an-address", reason: "no @ in the address" }]);
    expect(preview.duplicates).toEqual([{ line: 7, raw: "ANN@MASS.EXAMPLE", email: "ANN@MASS.EXAMPLE", firstLine: 1 }]);

    const { jobId } = await startMassSubscribe(access, massSubscribeStartSchema.parse({ ...ref, format: "text", input, options: {}, consent: true }));
    const job = await finished(jobId);
    expect(job.status).toBe("done");
    expect(await report(jobId)).toEqual({
      "ann@mass.example": "subscribed",
      "bob@mass.example": "subscribed",
      "OLD@mass.example": "already_member",
      "banned@mass.example": "banned",
      "waiting@mass.example": "pending_confirmation",
      "not-an-address": "invalid: no @ in the address",
      "carol@mass.example": "subscribed",
    });
    expect(await rosterEmails(listId)).toEqual(["ann@mass.example", "bob@mass.example", "carol@mass.example", "old@mass.example"]);
    const ann = await core.findMembers({ listId, subscriber: "ann@mass.example" }, { count: 1, page: 1 });
    expect(ann.entries[0]?.display_name).toBe("Ann Example");
  });

  it("predicts from the list's subscription policy and the options what the job then reports, with the same line numbers", async () => {
    const ref = (listId: string) => ({ targetId: target.id, listId });
    const cases: { policy: string; options: Record<string, boolean>; predicted: string; outcome: string }[] = [
      { policy: "moderate", options: { preApproved: false }, predicted: "approve", outcome: "pending_approval" },
      { policy: "confirm", options: { preConfirmed: false }, predicted: "confirm", outcome: "pending_confirmation" },
      { policy: "confirm_then_moderate", options: { preApproved: false }, predicted: "approve", outcome: "pending_approval" },
      { policy: "moderate", options: {}, predicted: "subscribe", outcome: "subscribed" },
    ];
    for (const { policy, options, predicted, outcome } of cases) {
      const { access, listId } = await ownedList();
      await core.patchListConfig(listId, { subscription_policy: policy });
      const a = `${uniqueName("a")}@mass.example`;
      const b = `${uniqueName("b")}@mass.example`;
      const input = ["# people", a, "", "not-an-address", b].join("\n");
      const chosen = { ...subscribed, invitation: false, sendWelcome: false, deliveryMode: "regular" as const, ...options };
      const preview = await preflightSubscribe(access, { ...ref(listId), format: "text", input, options: chosen });
      expect(preview.rows.map((r) => [r.line, r.email, r.prediction]), policy).toEqual([
        [2, a, predicted],
        [5, b, predicted],
      ]);
      expect(preview.policy).toBe(policy);
      const { jobId } = await startMassSubscribe(access, massSubscribeStartSchema.parse({ ...ref(listId), format: "text", input, options: chosen, consent: true }));
      expect((await finished(jobId)).status).toBe("done");
      const rows: [number, string, string][] = [];
      for await (const row of allReportRows(jobId)) rows.push([row.position, row.email, row.outcome ?? ""]);
      expect(rows, policy).toEqual([
        [2, a, outcome],
        [4, "not-an-address", "invalid"],
        [5, b, outcome],
      ]);
    }
  });

  it("without pre-verified, predicts a confirmation only for addresses the core has not verified", async () => {
    const known = `${uniqueName("known")}@mass.example`;
    // Subscribing pre-verified elsewhere leaves the address verified in the core.
    await ownedList([known]);
    const { access, listId } = await ownedList();
    const fresh = `${uniqueName("fresh")}@mass.example`;
    const input = [known, fresh].join("\n");
    const options = { ...subscribed, preVerified: false, invitation: false, sendWelcome: false, deliveryMode: "regular" as const };
    const preview = await preflightSubscribe(access, { targetId: target.id, listId, format: "text", input, options });
    expect(preview.rows.map((r) => [r.email, r.prediction])).toEqual([
      [known, "subscribe"],
      [fresh, "confirm"],
    ]);
    const { jobId } = await startMassSubscribe(access, massSubscribeStartSchema.parse({ targetId: target.id, listId, format: "text", input, options, consent: true }));
    await finished(jobId);
    expect(await report(jobId)).toEqual({ [known]: "subscribed", [fresh]: "pending_confirmation" });
  });

  it("predicts pattern bans with RE2: ^(a+)+$ and a long address take no time, and Python-only patterns are left to the core", async () => {
    const { access, listId } = await ownedList();
    // Added straight to the core, as another tool could: Listkeeper's own form refuses the lookahead.
    for (const pattern of ["^(a+)+$", "^bot\\d+@", "^x(?=y)"]) await addBan(core, { listId }, pattern);
    const long = `${"a".repeat(63)}!@${"a".repeat(60)}.example`;
    const started = performance.now();
    try {
      const preview = await preflightSubscribe(access, { targetId: target.id, listId, format: "text", input: [long, "Bot12@mass.example", "xy@mass.example"].join("\n") });
      // JavaScript's backtracking engine needed about 2^63 steps for the first line.
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(preview.rows.map((r) => [r.email, r.prediction])).toEqual([
        [long, "subscribe"],
        ["Bot12@mass.example", "banned"],
        ["xy@mass.example", "subscribe"],
      ]);
    } finally {
      // Never sent: Python's re (the core's engine) would backtrack on it as JavaScript's did.
      await core.deleteList(listId);
    }
  });

  it("on a moderated list without pre-approval, files requests for a moderator; without pre-verified, confirmations", async () => {
    const { access, listId } = await ownedList();
    await core.patchListConfig(listId, { subscription_policy: "moderate" });
    const ref = { targetId: target.id, listId };
    const moderated = await startMassSubscribe(
      access,
      massSubscribeStartSchema.parse({ ...ref, format: "text", input: "m1@mass.example\nm2@mass.example", options: { preApproved: false }, consent: true }),
    );
    await finished(moderated.jobId);
    expect(await report(moderated.jobId)).toEqual({ "m1@mass.example": "pending_approval", "m2@mass.example": "pending_approval" });

    const unverified = await startMassSubscribe(
      access,
      massSubscribeStartSchema.parse({ ...ref, format: "csv", input: "email,name\nu1@mass.example,U One\n", options: { preVerified: false, preConfirmed: false }, consent: false }),
    );
    await finished(unverified.jobId);
    expect(await report(unverified.jobId)).toEqual({ "u1@mass.example": "pending_confirmation" });
    expect(await rosterEmails(listId)).toEqual([]);
  });

  it("refuses to pre-verify without the owner's statement of consent, and sends nothing", async () => {
    const { access, listId } = await ownedList();
    const input = massSubscribeStartSchema.parse({ targetId: target.id, listId, format: "text", input: "x@mass.example", options: {}, consent: false });
    await expect(startMassSubscribe(access, input)).rejects.toThrow(InvalidInputError);
    expect(await rosterEmails(listId)).toEqual([]);
  });

  it("reads an in-doubt batch of a dead worker by what the roster said when the job was made", async () => {
    const { access, listId } = await ownedList(["already@mass.example"]);
    // A job whose worker claimed a batch, subscribed part of it and died before recording.
    const jobId = await createBulkJob({
      targetId: target.id,
      listId,
      kind: "subscribe",
      source: "text",
      options: { preVerified: true, preConfirmed: true, preApproved: true },
      createdBy: access.viewer.id,
      items: [
        { email: "sent@mass.example", displayName: null, expectedMember: false },
        { email: "already@mass.example", displayName: null, expectedMember: true },
        { email: "unsent@mass.example", displayName: null, expectedMember: false },
        { email: "later@mass.example", displayName: null, expectedMember: false },
      ],
    });
    const db = await getDb();
    await db.update(bulkJobs).set({ status: "running", leaseOwner: "dead-worker", leaseExpiresAt: sql`now() + interval '1 minute'` }).where(eq(bulkJobs.id, jobId));
    expect((await claimPendingItems(jobId, "dead-worker", 3)).map((i) => i.email)).toEqual(["sent@mass.example", "already@mass.example", "unsent@mass.example"]);
    await db.update(bulkJobs).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(bulkJobs.id, jobId));
    await core.subscribe({ listId, subscriber: "sent@mass.example", ...subscribed });

    const job = await finished(jobId);
    expect(job.status).toBe("done");
    expect(await report(jobId)).toEqual({
      "sent@mass.example": "subscribed",
      "already@mass.example": "already_member",
      "unsent@mass.example": "subscribed",
      "later@mass.example": "subscribed",
    });
  });
});

describe("mass removal", () => {
  it("removes listed members in bulk whatever the case of the input, and reports non-members", async () => {
    const { access, listId } = await ownedList(["r1@mass.example", "r2@mass.example", "stay@mass.example"]);
    const ref = { targetId: target.id, listId };
    const input = "r1@mass.example\nR2@Mass.Example\nnobody@mass.example\nbad line";
    const preview = await preflightRemove(access, { ...ref, format: "text", input });
    expect(preview.counts).toEqual({ remove: 2, not_member: 1 });
    const { jobId } = await startMassRemove(access, massRemoveStartSchema.parse({ ...ref, format: "text", input, options: {} }));
    await finished(jobId);
    expect(await report(jobId)).toEqual({
      "r1@mass.example": "removed",
      "R2@Mass.Example": "removed",
      "nobody@mass.example": "not_member",
      "bad line": "invalid: an address cannot contain spaces",
    });
    expect(await rosterEmails(listId)).toEqual(["stay@mass.example"]);
  });

  it("with notify, runs the unsubscription workflow: a moderated policy files requests", async () => {
    const { access, listId } = await ownedList(["n1@mass.example", "n2@mass.example"]);
    await core.patchListConfig(listId, { unsubscription_policy: "moderate" });
    const ref = { targetId: target.id, listId };
    const { jobId } = await startMassRemove(access, massRemoveStartSchema.parse({ ...ref, format: "text", input: "n1@mass.example\nzz@mass.example", options: { notify: true } }));
    await finished(jobId);
    expect(await report(jobId)).toEqual({ "n1@mass.example": "pending_approval", "zz@mass.example": "not_member" });
    expect(await rosterEmails(listId)).toEqual(["n1@mass.example", "n2@mass.example"]);
  });

  it("remove-all wants the current count typed, then empties the roster and reports every address", async () => {
    const members = Array.from({ length: 12 }, (_, i) => `all${i}@mass.example`);
    const { access, listId } = await ownedList(members);
    const ref = { targetId: target.id, listId };
    await expect(startRemoveAll(access, removeAllStartSchema.parse({ ...ref, options: {}, confirmCount: 11 }))).rejects.toThrow(
      "The list has 12 members now: type that number to confirm.",
    );
    const { jobId } = await startRemoveAll(access, removeAllStartSchema.parse({ ...ref, options: {}, confirmCount: 12 }));
    const job = await finished(jobId);
    expect(job.total).toBe(12);
    const outcomes = await report(jobId);
    expect(Object.keys(outcomes).sort()).toEqual([...members].sort());
    expect(new Set(Object.values(outcomes))).toEqual(new Set(["removed"]));
    expect(await rosterEmails(listId)).toEqual([]);
  });

  it("never shows a job through another list's guard", async () => {
    const a = await ownedList(["j@mass.example"]);
    const b = await ownedList();
    const { jobId } = await startMassRemove(a.access, massRemoveStartSchema.parse({ targetId: target.id, listId: a.listId, format: "text", input: "j@mass.example", options: {} }));
    await expect(loadListBulkJob(b.access, jobId)).rejects.toThrow(NotFoundError);
    expect((await loadListBulkJob(a.access, jobId)).id).toBe(jobId);
    await finished(jobId);
  });
});
