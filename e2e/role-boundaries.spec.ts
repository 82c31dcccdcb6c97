import { expect, people, seeded, signIn, test } from "./fixtures";

const listPath = (name: string) => `/lists/${seeded.targetId}/${seeded.listId(name)}`;

test("a plain member is locked out of every admin page and sees no server data", async ({ page }) => {
  await signIn(page, people.member);
  await expect(page.getByRole("link", { name: "Mailman servers" })).toHaveCount(0);
  for (const path of ["/admin/targets", "/admin/targets/new", `/admin/targets/${seeded.targetId}`, `/admin/targets/${seeded.targetId}/domains`, "/lists/new"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByTestId("forbidden")).toBeVisible();
    // Admin pages are for superusers: the 403 page does not send the member to list owners.
    await expect(page.getByTestId("forbidden")).not.toContainText("list owners");
    await expect(page.getByTestId("forbidden")).toContainText("superusers");
    await expect(page.getByText(seeded.targetName)).toHaveCount(0);
    await expect(page.getByText(seeded.domain)).toHaveCount(0);
  }
  const api = await page.request.get(`/api/targets/${seeded.targetId}/list-options`);
  expect(api.status()).toBe(403);
});

test("a member sees advertised lists but neither unadvertised ones nor owner controls", async ({ page }) => {
  await signIn(page, people.member);
  await page.goto(`/lists?q=${seeded.domain}`);
  // Other specs may register the same core again: look at the seeded server's rows only.
  const rows = page.getByRole("row").filter({ hasText: seeded.targetName });
  await expect(rows.filter({ hasText: `owned@${seeded.domain}` })).toHaveCount(1);
  await expect(rows.filter({ hasText: `other@${seeded.domain}` })).toHaveCount(1);
  await expect(page.getByText(`hidden@${seeded.domain}`)).toHaveCount(0);

  await page.goto(listPath("owned"));
  await expect(page.getByTestId("posting-address")).toHaveText(`owned@${seeded.domain}`);
  await expect(page.getByRole("button", { name: "Delete list" })).toHaveCount(0);

  const hidden = await page.goto(listPath("hidden"));
  expect(hidden?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toBeVisible();
});

test("the owner of one list manages it but not a list owned by someone else", async ({ page }) => {
  await signIn(page, people.owner);
  await page.goto(listPath("owned"));
  await expect(page.getByText("Owner", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Delete list" })).toBeVisible();

  await page.goto(listPath("other"));
  await expect(page.getByTestId("posting-address")).toHaveText(`other@${seeded.domain}`);
  await expect(page.getByRole("button", { name: "Delete list" })).toHaveCount(0);

  const admin = await page.goto("/admin/targets");
  expect(admin?.status()).toBe(403);
});

test("anonymous visitors are sent to sign in and the JSON API answers 401", async ({ page }) => {
  await page.goto(listPath("owned"));
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  const api = await page.request.get("/api/lists");
  expect(api.status()).toBe(401);
});

test("a refused CSV export shows the 403 page in the browser and JSON to fetch callers", async ({ page }) => {
  await signIn(page, people.member);
  const exportPath = `${listPath("owned")}/members/export?role=member`;
  const response = await page.goto(exportPath);
  expect(response?.status()).toBe(403);
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.locator("body")).not.toContainText('{"error"');
  const api = await page.evaluate(async (path) => {
    const answer = await fetch(path);
    return { status: answer.status, type: answer.headers.get("content-type"), body: await answer.json() };
  }, exportPath);
  expect(api).toMatchObject({ status: 403, type: expect.stringContaining("application/json"), body: { error: expect.any(String) } });
});

test("list pages read through the proxy's early reads: the owner's pages and tabs show their data, a forged early-reads header gets a member nothing", async ({ page, browser }) => {
  await signIn(page, people.owner);
  await page.goto(`${listPath("owned")}/held`);
  await expect(page.getByRole("heading", { name: "Held messages" })).toBeVisible();
  // A tab is a client-side navigation: its request (RSC) goes through the proxy too.
  await page.getByRole("link", { name: "Members", exact: true }).click();
  await expect(page).toHaveURL(/\/members$/);
  await expect(page.getByRole("search")).toBeVisible();
  await page.getByRole("link", { name: "Overview", exact: true }).click();
  await expect(page.getByTestId("posting-address")).toHaveText(`owned@${seeded.domain}`);

  // The id of a request's early reads travels in a header only the proxy sets: a client's own
  // value is dropped, and a guessed one would still need the same account's session.
  const context = await browser.newContext({ extraHTTPHeaders: { "x-listkeeper-early-reads": "00000000-0000-4000-8000-000000000000" } });
  const member = await context.newPage();
  await signIn(member, people.member);
  const hidden = await member.goto(listPath("hidden"));
  expect(hidden?.status()).toBe(404);
  const roster = await member.goto(`${listPath("owned")}/members`);
  expect(roster?.status()).toBe(403);
  await expect(member.getByRole("search")).toHaveCount(0);
  await context.close();
});
