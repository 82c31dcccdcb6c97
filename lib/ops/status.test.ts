import { describe, expect, it } from "vitest";
import { classifyWorkers, WORKER_STALE_AFTER_MS, type WorkerRow } from "./status";

const now = new Date("2026-12-01T10:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const worker = (id: string, lastSeenMsAgo: number, stopped = false): WorkerRow => ({
  id,
  hostname: "host",
  pid: "1",
  placement: "external",
  startedAt: ago(3600_000),
  lastSeenAt: ago(lastSeenMsAgo),
  stoppedAt: stopped ? ago(lastSeenMsAgo) : null,
});

describe("classifyWorkers", () => {
  it("counts a worker alive while its heartbeat is recent, and not responding once it is silent", () => {
    const [a, b] = classifyWorkers([worker("fresh", 1_000), worker("silent", WORKER_STALE_AFTER_MS + 1)], now);
    expect(a).toMatchObject({ id: "fresh", state: "alive" });
    expect(b).toMatchObject({ id: "silent", state: "not responding" });
  });

  it("shows a worker that stopped cleanly as stopped, even with a recent heartbeat", () => {
    expect(classifyWorkers([worker("done", 100, true)], now)[0]!.state).toBe("stopped");
  });

  it("puts alive workers first and forgets workers silent for more than a day", () => {
    const rows = [worker("stopped", 1_000, true), worker("dead", 60_000), worker("old", 25 * 3600_000), worker("alive", 2_000)];
    expect(classifyWorkers(rows, now).map((w) => `${w.id}:${w.state}`)).toEqual(["alive:alive", "dead:not responding", "stopped:stopped"]);
  });
});
