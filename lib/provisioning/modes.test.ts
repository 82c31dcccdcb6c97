import { describe, expect, it } from "vitest";
import { MODE_RULES, modeMeaning, modeRules, TARGET_MODES } from "./modes";

describe("target modes", () => {
  it("give each mode its own rules (none is another's copy)", () => {
    const shapes = TARGET_MODES.map((m) => JSON.stringify(MODE_RULES[m]));
    expect(new Set(shapes).size).toBe(TARGET_MODES.length);
  });

  it("retry transport failures in queue and queue_on_error only", () => {
    expect(TARGET_MODES.filter((m) => modeRules(m).retriesTransportErrors)).toEqual(["queue", "queue_on_error"]);
  });

  it("hold changes for the queue run only in queue mode; automatic and queue_on_error send them at once", () => {
    expect(TARGET_MODES.filter((m) => modeRules(m).runs === "queue_run")).toEqual(["queue"]);
    expect(modeRules("automatic")).toMatchObject({ changes: "all", runs: "at_once" });
    expect(modeRules("queue_on_error")).toMatchObject({ changes: "all", runs: "at_once" });
  });

  it("queue nothing by itself in manual and disabled modes, and only enrollments in enrollment mode", () => {
    expect(modeRules("manual")).toMatchObject({ changes: "none", explicitRuns: true, scheduled: false });
    expect(modeRules("disabled")).toMatchObject({ changes: "none", explicitRuns: false, scheduled: false });
    expect(modeRules("enrollment")).toMatchObject({ changes: "enrollment", explicitRuns: true, scheduled: false });
  });

  it("treat an unknown mode as disabled", () => {
    expect(modeRules("sometimes")).toEqual(MODE_RULES.disabled);
  });

  it("say in words when changes run and whether a failure is retried", () => {
    const retry = { retryIntervalS: 900, maxRetry: 5 };
    expect(modeMeaning("automatic", retry)).toMatch(/at once.*not retried/);
    expect(modeMeaning("queue_on_error", retry)).toMatch(/at once.*waits 15 minutes and tries again.*up to 5 attempts/);
    expect(modeMeaning("queue", retry)).toMatch(/next queue run, at the start of every minute.*Run queued jobs now.*waits 15 minutes/);
    expect(modeMeaning("queue_on_error", { retryIntervalS: 90, maxRetry: 1 })).toMatch(/not retried/);
    expect(modeMeaning("queue_on_error", { retryIntervalS: 90, maxRetry: 3 })).toMatch(/waits 90 seconds/);
    expect(modeMeaning("manual", retry)).toMatch(/only what an administrator asks for runs/);
    expect(modeMeaning("enrollment", retry)).toMatch(/no Mailman user on this server yet/);
    expect(modeMeaning("disabled", retry)).toMatch(/Nothing is sent/);
  });
});
