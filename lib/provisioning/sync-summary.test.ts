import { describe, expect, it } from "vitest";
import { allowedConflictActions, batchProgress, countOutcomes, healthSummary, type HealthInput, type LiveJobRow } from "./sync-summary";

const now = new Date("2026-12-01T12:00:00Z");
const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);

function job(id: number, status: LiveJobRow["status"], createdMinutesAgo: number, extra: Partial<LiveJobRow> = {}): LiveJobRow {
  return { id, status, attempts: status === "queued" ? 0 : 1, nextAttemptAt: at(createdMinutesAgo), createdAt: at(createdMinutesAgo), finishedAt: null, outcomes: {}, ...extra };
}

describe("countOutcomes", () => {
  it("adds items and grouped rows per outcome and drops outcomes it does not know", () => {
    expect(countOutcomes([{ outcome: "subscribed" }, { outcome: "subscribed", n: 4 }, { outcome: "error", n: 2 }, { outcome: "bogus", n: 9 }])).toEqual({ subscribed: 5, error: 2 });
    expect(countOutcomes([])).toEqual({});
  });
});

describe("batchProgress", () => {
  it("nothing queued or running: not live, nothing to poll", () => {
    const p = batchProgress([job(1, "succeeded", 10), job(2, "failed", 5)], now);
    expect(p).toMatchObject({ live: false, total: 0, percent: 100 });
  });

  it("the batch starts at the oldest unfinished job and takes in what ended since, with counts by status and outcome", () => {
    const p = batchProgress(
      [
        job(1, "succeeded", 60, { outcomes: { subscribed: 9 } }), // before the batch: left out
        job(2, "running", 5),
        job(3, "succeeded", 4, { outcomes: { subscribed: 2, unchanged: 1 } }),
        job(4, "partial", 3, { outcomes: { subscribed: 1, error: 1 } }),
        job(5, "queued", 2),
      ],
      now,
    );
    expect(p).toMatchObject({ live: true, total: 4, finished: 2, running: 1, queued: 1, waitingRetry: 0, percent: 50 });
    expect(p.byStatus).toEqual({ running: 1, succeeded: 1, partial: 1, queued: 1 });
    expect(p.outcomes).toEqual({ subscribed: 3, unchanged: 1, error: 1 });
  });

  it("a queued job with attempts whose next attempt is still ahead waits for a retry", () => {
    const p = batchProgress([job(1, "queued", 5, { attempts: 2, nextAttemptAt: new Date(now.getTime() + 60_000) }), job(2, "queued", 1)], now);
    expect(p).toMatchObject({ total: 2, finished: 0, queued: 2, waitingRetry: 1, percent: 0 });
  });
});

describe("healthSummary", () => {
  const base: HealthInput = {
    mode: "automatic",
    lastGoodReconcile: { jobId: 1, action: "repair", finishedAt: at(60) },
    lastRepair: { jobId: 1, status: "succeeded", finishedAt: at(60), outcomes: { unchanged: 40 } },
    openConflicts: 0,
    queued: 0,
    running: 0,
    waitingRetry: 0,
    failedSince: 0,
  };

  it("a clean repair with nothing waiting is in step, with no drift", () => {
    expect(healthSummary(base, now)).toMatchObject({ tone: "emerald", headline: "In step", drift: 0, openConflicts: 0, jobsWaiting: 0, notes: [] });
  });

  it("drift is what the last repair had to change; errors of that repair make it red", () => {
    const h = healthSummary({ ...base, lastRepair: { jobId: 2, status: "partial", finishedAt: at(30), outcomes: { subscribed: 2, unsubscribed: 1, updated: 1, unchanged: 10, error: 1 } } }, now);
    expect(h.drift).toBe(4);
    expect(h.driftProblems).toBe(1);
    expect(h.tone).toBe("red");
    expect(h.notes.join(" ")).toMatch(/found 4 changes/);
  });

  it("failed runs beat conflicts; conflicts and retries are amber; waiting jobs alone are 'Syncing'", () => {
    expect(healthSummary({ ...base, failedSince: 2, openConflicts: 3 }, now)).toMatchObject({ tone: "red", headline: "2 failed runs in the last 24 hours" });
    expect(healthSummary({ ...base, openConflicts: 1 }, now)).toMatchObject({ tone: "amber", headline: "1 open conflict" });
    expect(healthSummary({ ...base, waitingRetry: 2, queued: 2 }, now)).toMatchObject({ tone: "amber", headline: "2 jobs wait for a retry", jobsWaiting: 2 });
    expect(healthSummary({ ...base, queued: 3, running: 1 }, now)).toMatchObject({ tone: "slate", headline: "Syncing", jobsWaiting: 3, running: 1 });
  });

  it("jobs held for a queue-mode target's next queue run are said to wait for it, not to sync", () => {
    expect(healthSummary({ ...base, mode: "queue", queued: 2, waitingQueueRun: 2 }, now)).toMatchObject({ tone: "slate", headline: "2 jobs wait for the next queue run", waitingQueueRun: 2 });
    expect(healthSummary({ ...base, mode: "queue", queued: 3, waitingQueueRun: 2 }, now)).toMatchObject({ headline: "Syncing" });
  });

  it("never reconciled, or not for 36 hours, is said; a disabled target says nothing is queued", () => {
    const never = healthSummary({ ...base, lastGoodReconcile: null, lastRepair: null }, now);
    expect(never.drift).toBeNull();
    expect(never.notes.join(" ")).toMatch(/No full reconcile/);
    expect(healthSummary({ ...base, lastGoodReconcile: { jobId: 1, action: "reconcile", finishedAt: at(60 * 40) } }, now).notes.join(" ")).toMatch(/more than 36 hours/);
    expect(healthSummary({ ...base, mode: "disabled" }, now)).toMatchObject({ tone: "slate", headline: "Provisioning disabled" });
  });
});

describe("allowedConflictActions", () => {
  it("a preferred address held by a user Listkeeper did not create: adopt, absorb or ignore, in every mode but disabled", () => {
    for (const mode of ["automatic", "queue", "queue_on_error", "manual", "enrollment"]) expect(allowedConflictActions("preferred_owned_by_unmapped", mode)).toEqual(["adopt", "absorb", "ignore"]);
  });

  it("a secondary address can only be absorbed or ignored", () => {
    expect(allowedConflictActions("secondary_owned", "automatic")).toEqual(["absorb", "ignore"]);
  });

  it("another person's core user, or a shared address, is never taken: ignore only", () => {
    expect(allowedConflictActions("preferred_owned_by_person", "automatic")).toEqual(["ignore"]);
    expect(allowedConflictActions("shared_address", "manual")).toEqual(["ignore"]);
  });

  it("a disabled target queues nothing, so only ignore is offered", () => {
    expect(allowedConflictActions("preferred_owned_by_unmapped", "disabled")).toEqual(["ignore"]);
    expect(allowedConflictActions("secondary_owned", "disabled")).toEqual(["ignore"]);
  });
});
