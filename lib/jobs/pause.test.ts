import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { pause } from "./pause";

describe("retry pause", () => {
  it("leaves no abort listener behind on the worker's long-lived signal", async () => {
    const worker = new AbortController();
    for (let i = 0; i < 20; i++) await pause(1, worker.signal);
    expect(getEventListeners(worker.signal, "abort")).toHaveLength(0);
  });

  it("ends at once when the worker stops", async () => {
    const worker = new AbortController();
    const started = Date.now();
    const waiting = pause(60_000, worker.signal);
    worker.abort();
    await waiting;
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
