import { expect, people, signIn, test } from "./fixtures";

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

test("a superuser's status page shows the database answering, a live worker and the seeded server's Mailman version", async ({ page }) => {
  await signIn(page, people.admin);
  await page.getByRole("link", { name: "Status" }).click();
  await expect(page.getByRole("heading", { name: "Status", level: 1 })).toBeVisible();
  await expect(page.getByText("Answering")).toBeVisible();
  // scripts/start-all.ts runs the worker beside the app (its own process on PostgreSQL, inside the app on PGlite).
  await expect(page.getByRole("table", { name: "Job workers" }).getByText("Alive").first()).toBeVisible();
  await expect(page.getByText(/Mailman 3\.3\.\d+.* · REST API 3\.1/).first()).toBeVisible();
});
