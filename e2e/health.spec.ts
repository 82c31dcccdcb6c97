import { expect, test } from "./fixtures";

test("health and readiness answer anonymous probes with states only, never cached", async ({ request }) => {
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ status: "ok" });
  expect(health.headers()["cache-control"]).toBe("no-store");

  const ready = await request.get("/api/ready");
  expect(ready.status()).toBe(200);
  const body = (await ready.json()) as { status: string; checks: { database: string; migrations: { state: string; applied: number; expected: number } } };
  expect(body.status).toBe("ready");
  expect(body.checks.database).toBe("ok");
  expect(body.checks.migrations.applied).toBe(body.checks.migrations.expected);
  // Nothing about the database's address, the core or the accounts.
  expect(JSON.stringify(body)).not.toMatch(/postgres|127\.0\.0\.1|@|password/i);
});
