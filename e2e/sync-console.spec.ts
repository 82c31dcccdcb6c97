import type { APIRequestContext, Page } from "@playwright/test";
import { waitForMail } from "../scripts/lib/local-core";
import { core, expect, people, seeded, signIn, test, uniqueName } from "./fixtures";

const maildir = process.env.MAILMAN_TEST_MAILDIR ?? "";

/**
 * The sync console (issue 10 items 3–5) through the real UI, the real worker and the real core:
 * a superuser resolves an address conflict by adopting, and a member opts in to a self-service
 * list on My lists and sees themselves subscribed. Registry set-up goes through the JSON API with
 * the superuser's session, as scripts would.
 */

async function api<T>(request: APIRequestContext, method: "GET" | "POST" | "PUT", path: string, data?: unknown): Promise<T> {
  const response = await request.fetch(`/api/v1${path}`, { method, ...(data === undefined ? {} : { data }) });
  expect(response.status(), `${method} ${path}: ${await response.text()}`).toBeLessThan(300);
  return (await response.json()) as T;
}

async function waitForJobs(request: APIRequestContext, jobIds: readonly number[]) {
  for (const id of jobIds) {
    await expect
      .poll(async () => (await api<{ status: string }>(request, "GET", `/jobs/${id}`)).status, { timeout: 30_000, message: `job ${id}` })
      .toMatch(/succeeded|partial|failed/);
  }
}

test("a superuser resolves an address conflict by adopting the other core user", async ({ page }) => {
  await signIn(page, people.admin);
  const tag = uniqueName("cf");
  const email = `taken.${tag}@example.org`;
  // A core user Listkeeper did not create already owns the address (provisioning.md §8.5).
  const made = await page.request.post(`${core.restUrl}/3.1/users`, {
    headers: { authorization: `Basic ${Buffer.from(`${core.user}:${core.password}`).toString("base64")}` },
    form: { email, display_name: "Somebody Else" },
  });
  expect(made.status()).toBe(201);

  const group = await api<{ id: number }>(page.request, "POST", "/groups", { name: `g-${tag}` });
  const list = await api<{ id: number; jobIds: number[] }>(page.request, "POST", "/email-lists", { targetId: seeded.targetId, name: tag, membersGroupId: group.id });
  await waitForJobs(page.request, list.jobIds);
  const person = await api<{ id: number }>(page.request, "POST", "/people", { displayName: `Dana ${tag}`, emails: [{ address: email }] });
  const membership = await api<{ jobIds: number[] }>(page.request, "PUT", `/groups/${group.id}/members/${person.id}`, { member: true });
  await waitForJobs(page.request, membership.jobIds);

  // From the server's page to its sync runs, which count the open conflict.
  await page.goto(`/admin/targets/${seeded.targetId}`);
  await page.getByRole("link", { name: "Sync runs" }).click();
  await expect(page.getByRole("heading", { name: `Sync runs on ${seeded.targetName}` })).toBeVisible();
  await expect(page.getByTestId("problem-items")).toContainText(email);
  await page.getByRole("link", { name: "Conflicts" }).first().click();

  const card = page.locator(`[data-testid="open-conflict"][data-email="${email}"]`);
  await expect(card).toContainText("Preferred address held by a Mailman user Listkeeper did not create");
  await expect(card).toContainText("Somebody Else");
  await expect(card.getByTestId("other-addresses")).toContainText(`${email} this person's`);
  await expect(card.getByRole("button", { name: `Absorb (${email})` })).toBeVisible();
  await card.getByRole("button", { name: `Adopt (${email})` }).click();
  // No longer open: it moves to the resolved conflicts.
  await expect(card).toHaveCount(0);

  // Kept with who resolved it and when.
  const resolved = page.getByTestId("resolved-conflict").filter({ hasText: email });
  await expect(resolved).toContainText("adopt");
  await expect(resolved).toContainText(people.admin.email);

  // The run queued by the adoption subscribes Dana: the history of her Mailman changes says so.
  await page.goto((await resolved.getByRole("link", { name: `Dana ${tag}` }).getAttribute("href"))!);
  await expect(page.getByRole("heading", { name: `Mailman changes for Dana ${tag}` })).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("change-history")).toContainText("Subscribed", { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId("change-history")).toContainText(`${tag}.${seeded.domain}`);
});

/** A member who signs up and confirms their address (SIGNUP=open in the browser stage). */
async function newMember(page: Page): Promise<{ email: string; password: string }> {
  expect(maildir, "needs the core's SMTP sink").not.toBe("");
  const email = `${uniqueName("optin-")}@people.e2e.test`;
  const password = "a long enough password";
  await page.goto("/signup");
  await page.getByLabel("Your name").fill("Opt-in Member");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Check your mail")).toBeVisible();
  const mail = await waitForMail(maildir, (m) => m.to.includes(email) && m.subject.includes("Confirm your Listkeeper account"), 30_000);
  const link = /https?:\/\/\S+\/verify-email\S*/.exec(mail.body)?.[0];
  expect(link, "a confirmation link").toBeTruthy();
  await page.goto(link!);
  await page.getByRole("button", { name: `Confirm ${email}` }).click();
  await expect(page.getByText(`${email} is confirmed.`)).toBeVisible();
  return { email, password };
}

/*
 * A fresh member rather than the seeded one: the seed subscribed the seeded member straight through
 * the core, so their address already belongs to a core user Listkeeper did not create, which is an
 * address conflict in the seeded server's "fail" mode (the test above resolves one such).
 */
test("a member opts in to a self-service list on My lists and sees themselves subscribed", async ({ page, browser }) => {
  const context = await browser.newContext();
  const member = await context.newPage();
  try {
    const account = await newMember(member);
    await signIn(page, people.admin);
    const tag = uniqueName("ss");
    // The member's account is linked to a registry person through its verified address.
    const person = await api<{ id: number }>(page.request, "POST", "/people", { displayName: "Opt-in Member", emails: [{ address: account.email }] });
    const group = await api<{ id: number }>(page.request, "POST", "/groups", { name: `eligible-${tag}` });
    await api(page.request, "PUT", `/groups/${group.id}/members/${person.id}`, { member: true });
    const list = await api<{ id: number; jobIds: number[] }>(page.request, "POST", "/email-lists", {
      targetId: seeded.targetId,
      name: tag,
      description: "Opt in if you like",
      membershipMode: "self_service",
      eligibilityGroupId: group.id,
    });
    await waitForJobs(page.request, list.jobIds);

    await signIn(member, account);
    await member.goto("/me");
    const row = member.locator(`[data-testid="self-service-list"][data-name="${tag}"]`);
    await expect(row.getByTestId("self-service-state")).toHaveText("Not subscribed (no choice made yet)");
    await row.getByRole("switch", { name: `Subscribed to ${tag}` }).click();
    await expect(row.getByTestId("self-service-state")).toHaveText(/Subscribing…|Subscribed/);
    await expect(row.getByTestId("self-service-state")).toHaveText("Subscribed", { timeout: 30_000 });
    await expect(row.getByRole("switch", { name: `Subscribed to ${tag}` })).toHaveAttribute("aria-checked", "true");
    // The Mailman list itself now shows them subscribed, in "My lists" below.
    const listRow = member.locator(`[data-testid="my-list"][data-target="${seeded.targetId}"][data-list="${tag}@${seeded.domain}"]`);
    await expect(listRow.getByTestId("list-state")).toHaveText(/^Subscribed/, { timeout: 15_000 });

    // After a reload it is still so: read from the registry and the core, not remembered.
    await member.reload();
    await expect(member.locator(`[data-testid="self-service-list"][data-name="${tag}"]`).getByTestId("self-service-state")).toHaveText("Subscribed");
    await expect(member.locator(`[data-testid="my-list"][data-target="${seeded.targetId}"][data-list="${tag}@${seeded.domain}"]`).getByTestId("list-state")).toHaveText(`Subscribed (primary address, ${account.email})`);

    // The superuser previews IXP's init on the list's sync page: the member chose, so init skips them.
    await page.goto(`/admin/targets/${seeded.targetId}/sync/lists/${list.id}`);
    await expect(page.getByTestId("change-history")).toContainText(account.email);
    await page.getByRole("button", { name: "Preview the init" }).click();
    const report = page.getByTestId("init-report");
    await expect(report).toContainText("Skipped (1)");
    await expect(report).toContainText(account.email);
    await expect(report).toContainText("Subscribed (0)");
    await expect(page.getByText("Preview only: nothing is saved")).toBeVisible();
    await page.getByRole("button", { name: "Save these preferences" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved: 0 preferences recorded" })).toBeVisible();
    await member.reload();
    await expect(member.locator(`[data-testid="self-service-list"][data-name="${tag}"]`).getByTestId("self-service-state")).toHaveText("Subscribed");
  } finally {
    await context.close();
  }
});

test("a queue-mode server says what its mode means, holds a change for the queue run and runs it on Run queued jobs now", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, people.admin);
  const tag = uniqueName("qm");
  const target = await api<{ id: number }>(page.request, "POST", "/targets", {
    name: `Queue ${tag}`,
    serverUrl: core.restUrl,
    adminUser: core.user,
    adminPassword: core.password,
    domain: `${tag}.e2e.test`,
    mode: "queue",
    retryIntervalS: 600,
  });

  // The server's form names the mode and says what it means, and follows the choice.
  await page.goto(`/admin/targets/${target.id}`);
  await expect(page.getByLabel("Mode")).toHaveValue("queue");
  await expect(page.getByTestId("mode-meaning")).toContainText("sent to Mailman together at the next queue run, at the start of every minute");
  await expect(page.getByTestId("mode-meaning")).toContainText("waits 10 minutes and tries again");
  await page.getByLabel("Mode").selectOption("automatic");
  await expect(page.getByTestId("mode-meaning")).toContainText("sent to Mailman at once");
  await expect(page.getByTestId("mode-meaning")).toContainText("not retried by itself");

  // A change waits for the queue run; the sync console says so and runs it on demand. Made early
  // in a minute, so that the queue run at its end cannot take the job before the button does.
  if (new Date().getSeconds() > 20) await page.waitForTimeout((61 - new Date().getSeconds()) * 1000);
  const group = await api<{ id: number }>(page.request, "POST", "/groups", { name: `g-${tag}` });
  const list = await api<{ id: number; jobIds: number[] }>(page.request, "POST", "/email-lists", { targetId: target.id, name: tag, membersGroupId: group.id });
  expect(list.jobIds).toHaveLength(1);
  await page.goto(`/admin/targets/${target.id}/sync`);
  await expect(page.getByTestId("sync-mode-meaning")).toContainText("next queue run");
  expect(await api<{ status: string; attempts: number }>(page.request, "GET", `/jobs/${list.jobIds[0]}`)).toMatchObject({ status: "queued", attempts: 0 });
  // The health headline, and the mode card beside its button.
  await expect(page.getByText("1 job waits for the next queue run", { exact: true })).toBeVisible();
  await expect(page.getByText("1 job waits for the next queue run (the start of the next minute).")).toBeVisible();
  await page.getByRole("button", { name: "Run queued jobs now" }).click();
  await expect(page.getByText("1 job runs now.")).toBeVisible();
  await waitForJobs(page.request, list.jobIds);
  expect((await api<{ status: string }>(page.request, "GET", `/jobs/${list.jobIds[0]}`)).status).toBe("succeeded");
});
