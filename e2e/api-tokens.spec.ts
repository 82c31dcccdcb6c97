import { expect, people, seeded, signIn, test, uniqueName } from "./fixtures";

/**
 * A superuser creates an API token on /admin/tokens, sees it once, and a script uses it against
 * the JSON API v1: a person and a provisioned list appear, with job ids; a revoked token gets 401.
 */
test("a superuser creates an API token, the API accepts it, and refuses it once revoked", async ({ page, request }) => {
  await signIn(page, people.admin);
  await page.getByRole("link", { name: "API tokens" }).click();
  const name = uniqueName("script-");
  await page.getByLabel("Token name").fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^lk_/);

  const auth = { authorization: `Bearer ${token}` };
  const created = await request.post("/api/v1/people", { headers: auth, data: { displayName: "Token Person", emails: [{ address: `${name}@people.example` }] } });
  expect(created.status()).toBe(201);
  // A new person gets a sync job per server that has provisioned lists: how many depends on what
  // other specs have provisioned on the seeded server, so only the shape is fixed here.
  expect(await created.json()).toMatchObject({ displayName: "Token Person", jobIds: expect.any(Array) });
  const list = await request.post("/api/v1/email-lists", { headers: auth, data: { targetId: seeded.targetId, name } });
  expect(list.status()).toBe(201);
  const { jobIds } = (await list.json()) as { jobIds: number[] };
  expect(jobIds).toHaveLength(1);
  const job = await request.get(`/api/v1/jobs/${jobIds[0]}`, { headers: auth });
  expect(job.status()).toBe(200);
  expect(await job.json()).toMatchObject({ id: jobIds[0], targetId: seeded.targetId });
  const invalid = await request.post("/api/v1/people", { headers: auth, data: { emails: [{ address: "nope" }] } });
  expect(invalid.status()).toBe(422);
  expect(invalid.headers()["content-type"]).toContain("application/problem+json");

  await page.reload();
  await page.getByRole("row", { name: new RegExp(name) }).getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("Revoked");
  expect((await request.get("/api/v1/people", { headers: auth })).status()).toBe(401);
});
