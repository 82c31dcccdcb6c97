import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeList, type ListAccess } from "@/lib/auth/list-access";
import type { Viewer } from "@/lib/auth/users";
import { ConflictError } from "@/lib/errors";
import { startWorker, type WorkerHandle } from "@/lib/jobs/worker";
import type { MailmanClient } from "@/lib/mailman";
import type { TargetSummary } from "@/lib/targets/targets";
import { testClient, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { allReportRows, getBulkJob, type BulkJob } from "./bulk-store";
import { applyImportRoles, importRolesState } from "./import-roles";
import { massSubscribeStartSchema } from "./mass-input";
import { preflightSubscribe, startMassSubscribe } from "./mass-operations";

let superuser: Viewer;
let target: TargetSummary;
let core: MailmanClient;
let worker: WorkerHandle;

const exported = readFileSync(new URL("../../e2e/files/google-groups-members.csv", import.meta.url), "utf8");
const pre = { preVerified: true, preConfirmed: true, preApproved: true } as const;

beforeAll(async () => {
  superuser = await makeUser({ superuser: true });
  target = await makeTarget(superuser);
  core = testClient();
  worker = await startWorker({ leaseMs: 2_000, pollingIntervalSeconds: 0.5, recoveryIntervalMs: 500 });
});

afterAll(async () => {
  await worker?.stop();
});

async function ownedList(): Promise<{ access: ListAccess; listId: string; owner: Viewer }> {
  const owner = await makeUser();
  const listId = await core.createList({ fqdnListname: `${uniqueName("gg")}@${target.domain}` });
  await core.subscribe({ listId, subscriber: owner.verifiedEmails[0]!, role: "owner", ...pre });
  return { access: await authorizeList(owner, target.id, listId, "administer"), listId, owner };
}

async function finished(jobId: number): Promise<BulkJob> {
  const until = Date.now() + 50_000;
  for (;;) {
    const job = await getBulkJob(jobId);
    if (job && (job.status === "done" || job.status === "failed" || job.status === "cancelled")) return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${job?.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("mass subscribe from a Google Groups export", () => {
  it("previews the export, subscribes the members with their names, leaves out the bouncing and invited rows unless chosen, then adds the chosen owners and moderators", async () => {
    const { access, listId, owner } = await ownedList();
    const ref = { targetId: target.id, listId, format: "csv" as const, input: exported };

    const preflight = await preflightSubscribe(access, ref);
    expect(preflight.rows.map((r) => r.email)).toEqual(["anna.owner@choir.example", "ben.manager@choir.example", "carla@choir.example", "fred@choir.example"]);
    expect(preflight.googleGroups?.leftOut.map((r) => r.email)).toEqual(["dave.bounce@choir.example", "erin.invited@choir.example"]);
    expect(preflight.googleGroups?.staff.map((s) => [s.email, s.role])).toEqual([
      ["anna.owner@choir.example", "owner"],
      ["ben.manager@choir.example", "moderator"],
    ]);
    // Choosing the bouncing row puts it in the preview.
    const withDave = await preflightSubscribe(access, { ...ref, googleGroups: { include: [6], staff: [] } });
    expect(withDave.rows.map((r) => r.email)).toContain("dave.bounce@choir.example");

    const { jobId } = await startMassSubscribe(
      access,
      massSubscribeStartSchema.parse({ ...ref, options: {}, consent: true, googleGroups: { include: [6], staff: [3, 4] } }),
    );
    // The roles wait for the job.
    const job = await finished(jobId);
    expect(job.status).toBe("done");
    const report: [string, string | null][] = [];
    for await (const row of allReportRows(jobId)) report.push([row.email, row.outcome]);
    expect(report).toEqual([
      ["anna.owner@choir.example", "subscribed"],
      ["ben.manager@choir.example", "subscribed"],
      ["carla@choir.example", "subscribed"],
      ["dave.bounce@choir.example", "subscribed"],
      ["fred@choir.example", "subscribed"],
    ]);
    const members = await core.fullRoster(listId, "member", ["email", "display_name"]);
    expect(members.map((m) => [m.email, m.display_name || null])).toEqual([
      ["anna.owner@choir.example", "Anna Owner"],
      ["ben.manager@choir.example", "Bennett, Ben"],
      ["carla@choir.example", "Carla Singer"],
      ["dave.bounce@choir.example", "Dave Bounce"],
      ["fred@choir.example", null],
    ]);

    expect((await importRolesState(access, job)).map((r) => [r.email, r.role, r.already])).toEqual([
      ["anna.owner@choir.example", "owner", false],
      ["ben.manager@choir.example", "moderator", false],
    ]);
    const results = await applyImportRoles(access, jobId);
    expect(results.map((r) => [r.email, r.role, r.outcome])).toEqual([
      ["anna.owner@choir.example", "owner", "added"],
      ["ben.manager@choir.example", "moderator", "added"],
    ]);
    expect((await core.fullRoster(listId, "owner", ["email"])).map((m) => m.email).sort()).toEqual(["anna.owner@choir.example", owner.verifiedEmails[0]].sort());
    expect((await core.fullRoster(listId, "moderator", ["email"])).map((m) => m.email)).toEqual(["ben.manager@choir.example"]);
    // A second run finds them there and says so.
    expect((await applyImportRoles(access, jobId)).map((r) => r.outcome)).toEqual(["already", "already"]);
  });

  it("a plain mass subscribe carries no roles to add", async () => {
    const { access, listId } = await ownedList();
    const { jobId } = await startMassSubscribe(access, massSubscribeStartSchema.parse({ targetId: target.id, listId, format: "text", input: "x@gg.example", options: {}, consent: true }));
    await finished(jobId);
    await expect(applyImportRoles(access, jobId)).rejects.toBeInstanceOf(ConflictError);
  });
});
