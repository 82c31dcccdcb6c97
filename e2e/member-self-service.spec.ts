import { MailmanClient } from "../lib/mailman";
import { waitForMail } from "../scripts/lib/local-core";
import { core, expect, people, seeded, signIn, test, uniqueName } from "./fixtures";

const maildir = process.env.MAILMAN_TEST_MAILDIR ?? "";
const rest = () => new MailmanClient({ baseUrl: core.restUrl, user: core.user, password: core.password });

function linkIn(body: string, path: string): string {
  const match = new RegExp(`https?://\\S+${path}\\S*`).exec(body);
  if (!match) throw new Error(`no ${path} link in:\n${body}`);
  return match[0];
}

async function advertisedList(prefix: string) {
  const name = uniqueName(prefix);
  const listId = await rest().createList({ fqdnListname: `${name}@${seeded.domain}`, styleName: "legacy-default" });
  await rest().patchListConfig(listId, { advertised: true, description: `Self-service list ${name}` });
  return { name, listId, fqdn: `${name}@${seeded.domain}` };
}

test("a new member signs up, confirms from the mailed link, subscribes in one click, sets digest on that subscription, resets it to inherit and unsubscribes", async ({ page }) => {
  expect(maildir, "needs the core's SMTP sink").not.toBe("");
  const list = await advertisedList("selfserve-");
  const email = `${uniqueName("newbie-")}@people.e2e.test`;
  const password = "a long enough password";

  await page.goto("/login");
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByLabel("Your name").fill("New Member");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Check your mail")).toBeVisible();

  const mail = await waitForMail(maildir, (m) => m.to.includes(email) && m.subject.includes("Confirm your Listkeeper account"), 30_000);
  await page.goto(linkIn(mail.body, "/verify-email"));
  await page.getByRole("button", { name: `Confirm ${email}` }).click();
  await expect(page.getByText(`${email} is confirmed.`)).toBeVisible();

  await signIn(page, { email, password });
  await page.goto("/me");
  await page.getByLabel("Search").fill(list.name);
  // Another spec may register the same core as a second server: its lists appear twice.
  const row = page.locator(`[data-testid="my-list"][data-target="${seeded.targetId}"]`).filter({ hasText: list.fqdn });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("list-state")).toHaveText("Not subscribed");
  await row.getByRole("button", { name: "Subscribe" }).click();
  await expect(row.getByTestId("list-state")).toHaveText(`Subscribed (primary address, ${email})`);

  await row.getByRole("link", { name: "Options" }).click();
  const mode = page.getByTestId("pref-delivery_mode");
  await expect(mode.getByTestId("effective")).toContainText("Each message");
  await mode.getByLabel("Delivery mode on this subscription").selectOption("mime_digests");
  await expect(mode.getByTestId("effective")).toContainText("mime digests");
  await expect(mode.getByTestId("effective")).toContainText("set on this subscription");
  await mode.getByLabel("Delivery mode on this subscription").selectOption("inherit");
  await expect(mode.getByTestId("effective")).toContainText("Each message");
  await expect(mode.getByTestId("effective")).toContainText("the server's default");

  await page.getByRole("link", { name: "Back to My lists" }).click();
  await page.getByLabel("Search").fill(list.name);
  await row.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(row.getByRole("status")).toHaveText("Unsubscribed.");
  await expect(row.getByTestId("list-state")).toHaveText("Not subscribed");
  expect(await rest().rosterSize(list.listId, "member")).toBe(0);
});

test("an anonymous visitor subscribes from a list's public page and confirms from the mailed link", async ({ page, browser }) => {
  expect(maildir, "needs the core's SMTP sink").not.toBe("");
  const list = await advertisedList("public-");

  // A superuser publishes the domain's confirmation mail with Listkeeper's link.
  const admin = await browser.newPage();
  await signIn(admin, people.admin);
  await admin.goto(`/admin/targets/${seeded.targetId}/self-service`);
  await admin.getByRole("button", { name: `Publish for ${seeded.domain}` }).click();
  await expect(admin.getByText(/Published|could not fetch/)).toBeVisible();
  await admin.close();

  const email = `${uniqueName("visitor-")}@outside.e2e.test`;
  await page.goto(`/subscribe/${seeded.targetId}/${list.listId}`);
  await page.getByLabel("Email").fill(email);
  // People take a few seconds to fill in a form; the form refuses anything faster.
  await page.waitForTimeout(3500);
  await page.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.getByText("Check your mail")).toBeVisible();

  const mail = await waitForMail(maildir, (m) => m.to.includes(email) && m.body.includes("/confirm/"), 60_000);
  await page.goto(linkIn(mail.body, "/confirm/"));
  await page.getByRole("button", { name: "Confirm subscription" }).click();
  await expect(page.getByText(`${email} is now subscribed`)).toBeVisible();
  expect(await rest().rosterSize(list.listId, "member")).toBe(1);
});

test("a visitor's subscription waiting for confirmation shows on My lists once they sign up with that address, can be sent again, and the mailed link confirms it", async ({ page }) => {
  expect(maildir, "needs the core's SMTP sink").not.toBe("");
  const list = await advertisedList("waiting-");
  await rest().patchListConfig(list.listId, { subscription_policy: "confirm" });
  const email = `${uniqueName("later-")}@people.e2e.test`;
  const password = "a long enough password";
  const coreMail = (not?: string) =>
    waitForMail(maildir, (m) => m.to.includes(email) && /confirm [0-9a-f]{20,}/i.test(m.subject + m.body) && (!not || !(m.subject + m.body).includes(not)), 60_000);
  const tokenOf = (m: { subject: string; body: string }) => /confirm ([0-9a-f]{20,})/i.exec(m.subject + m.body)![1]!;

  // First as a visitor, from the list's public page.
  await page.goto(`/subscribe/${seeded.targetId}/${list.listId}`);
  await page.getByLabel("Email").fill(email);
  await page.waitForTimeout(3500);
  await page.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.getByText("Check your mail")).toBeVisible();
  const first = tokenOf(await coreMail());

  // Then with an account for the same address, confirmed from Listkeeper's own mail.
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Check your mail")).toBeVisible();
  const signup = await waitForMail(maildir, (m) => m.to.includes(email) && m.subject.includes("Confirm your Listkeeper account"), 30_000);
  await page.goto(linkIn(signup.body, "/verify-email"));
  await page.getByRole("button", { name: `Confirm ${email}` }).click();
  await expect(page.getByText(`${email} is confirmed.`)).toBeVisible();
  await signIn(page, { email, password });

  await page.goto("/me");
  await page.getByLabel("Search").fill(list.name);
  const row = page.locator(`[data-testid="my-list"][data-target="${seeded.targetId}"]`).filter({ hasText: list.fqdn });
  await expect(row.getByTestId("list-state")).toHaveText(`Waiting for you to confirm (mail sent to ${email})`);
  await expect(row.getByRole("button", { name: "Subscribe" })).toHaveCount(0);
  await row.getByRole("button", { name: "Send again" }).click();
  await expect(row.getByRole("status")).toContainText(`Sent again to ${email}`);
  const second = tokenOf(await coreMail(first));

  await page.goto(`/confirm/${seeded.targetId}?list=${encodeURIComponent(list.fqdn)}&token=${second}`);
  await page.getByRole("button", { name: "Confirm subscription" }).click();
  await expect(page.getByText(`${email} is now subscribed`)).toBeVisible();
  await page.goto("/me");
  await page.getByLabel("Search").fill(list.name);
  await expect(row.getByTestId("list-state")).toHaveText(`Subscribed (${email})`);
});

test("a member sees the roster of a list that shows it to members: names, and an address only for a member who lets it show", async ({ page }) => {
  const list = await advertisedList("roster-");
  await rest().patchListConfig(list.listId, { member_roster_visibility: "members" });
  const open = `${uniqueName("open-")}@people.e2e.test`;
  const hidden = `${uniqueName("hidden-")}@people.e2e.test`;
  for (const [subscriber, displayName] of [[people.member.email, "The Member"], [open, "Open Person"], [hidden, "Hidden Person"]] as const) {
    await rest().subscribe({ listId: list.listId, subscriber, displayName, preVerified: true, preConfirmed: true, preApproved: true });
  }
  await rest().send("PATCH", `/addresses/${encodeURIComponent(open)}/preferences`, { hide_address: false });

  await signIn(page, people.member);
  await page.goto(`/me/roster/${seeded.targetId}/${encodeURIComponent(list.listId)}`);
  const members = page.getByTestId("roster-member");
  await expect(members).toHaveCount(3);
  // No address is on the page until someone asks for it.
  await expect(page.getByText(open)).toHaveCount(0);
  await members.filter({ hasText: "Open Person" }).getByRole("button", { name: "Show address" }).click();
  await expect(members.filter({ hasText: "Open Person" }).getByRole("status")).toHaveText(open);
  await members.filter({ hasText: "Hidden Person" }).getByRole("button", { name: "Show address" }).click();
  await expect(members.filter({ hasText: "Hidden Person" }).getByRole("status")).toHaveText("Address hidden by the member");
  await expect(page.getByText(hidden)).toHaveCount(0);
});

test("My lists needs a sign-in, and a member cannot open the options of someone else's subscription", async ({ page }) => {
  await page.goto("/me");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fme/);

  const list = await advertisedList("boundary-");
  const stranger = `${uniqueName("stranger-")}@outside.e2e.test`;
  const subscribed = await rest().subscribe({ listId: list.listId, subscriber: stranger, preVerified: true, preConfirmed: true, preApproved: true });
  if (subscribed.kind !== "subscribed") throw new Error("not subscribed");
  await signIn(page, people.member);
  await page.goto(`/me/${seeded.targetId}/${subscribed.memberId}`);
  await expect(page.getByText("Not found")).toBeVisible();
  await expect(page.getByText(stranger)).toHaveCount(0);
});
