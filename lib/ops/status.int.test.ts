import { afterAll, describe, expect, it } from "vitest";
import { startWorker, type WorkerHandle } from "@/lib/jobs/worker";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { siteStatus } from "./status";

/** The superusers' status page data, read from a real database, a real worker and a real core. */
describe("siteStatus", () => {
  let worker: WorkerHandle | undefined;
  afterAll(async () => {
    await worker?.stop();
  });

  it("names the database, the running worker, the queue and each server's Mailman version; a stopped worker shows as stopped", async () => {
    const admin = await makeUser({ superuser: true });
    const target = await makeTarget(admin);
    worker = await startWorker({ pollingIntervalSeconds: 1 });

    const running = await siteStatus();
    expect(running.database.readiness.checks.database).toBe("ok");
    expect(running.database.serverVersion).toMatch(/^\d+/);
    expect(running.workers.find((w) => w.id === worker!.workerId)).toMatchObject({ state: "alive" });
    expect(running.queue.map((q) => q.kind)).toEqual(expect.arrayContaining(["bulk member job", "provisioning job"]));
    expect(running.servers.find((s) => s.id === target.id)).toMatchObject({ mailmanVersion: expect.stringMatching(/^GNU Mailman 3\./), problem: null });

    await worker.stop();
    const stopped = await siteStatus();
    expect(stopped.workers.find((w) => w.id === worker!.workerId)).toMatchObject({ state: "stopped" });
    worker = undefined;
  });
});
