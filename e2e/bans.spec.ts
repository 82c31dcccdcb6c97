import { MailmanClient } from "../lib/mailman";
import { addBan, allBans } from "../lib/mailman/bans";
import { core, expect, people, seeded, signIn, test, uniqueName } from "./fixtures";

const client = () => new MailmanClient({ baseUrl: core.restUrl, user: core.user, password: core.password });
const subscribe = (listId: string, subscriber: string) =>
  client().subscribe({ listId, subscriber, preVerified: true, preConfirmed: true, preApproved: true });

async function freshList(): Promise<string> {
  const mailman = client();
  const listId = await mailman.createList({ fqdnListname: `${uniqueName("ban-")}@${seeded.domain}` });
  await mailman.subscribe({ listId, subscriber: people.owner.email, role: "owner", preVerified: true, preConfirmed: true, preApproved: true });
  return listId;
}

test("an owner bans an address and a pattern, searches, and unbans", async ({ page }) => {
  const listId = await freshList();
  await signIn(page, people.owner);
  await page.goto(`/lists/${seeded.targetId}/${listId}/bans`);
  await expect(page.getByText("Nobody is banned")).toBeVisible();
  // What 3.3.8 does: a banned sender's posts are discarded, members' too.
  await expect(page.getByText(/its posts are discarded without notice/)).toBeVisible();
  await expect(page.getByText(/do not stop posting/)).toHaveCount(0);

  const form = page.getByRole("form", { name: "Ban an address" });
  await form.getByLabel("Address or pattern").fill("not valid");
  await form.getByRole("button", { name: "Ban" }).click();
  await expect(form.getByText(/no spaces/)).toBeVisible();
  await form.getByLabel("Address or pattern").fill("^(bad");
  await form.getByRole("button", { name: "Ban" }).click();
  await expect(form.getByText(/not a valid regular expression/)).toBeVisible();

  await form.getByLabel("Address or pattern").fill("Spammer@Example.org");
  await form.getByRole("button", { name: "Ban" }).click();
  await expect(form.getByText("spammer@example.org is banned.")).toBeVisible();
  await form.getByLabel("Address or pattern").fill("^.*@spam\\.example$");
  await form.getByRole("button", { name: "Ban" }).click();
  await expect(page.getByRole("cell", { name: "^.*@spam\\.example$ pattern", exact: true })).toBeVisible();
  await expect(page.getByRole("cell", { name: "spammer@example.org", exact: true })).toBeVisible();

  // The core now refuses both.
  await expect(subscribe(listId, "spammer@example.org")).rejects.toMatchObject({ status: 400, description: "Membership is banned" });
  await expect(subscribe(listId, "anyone@spam.example")).rejects.toMatchObject({ description: "Membership is banned" });

  // Search (in Listkeeper: the core cannot filter bans).
  await page.getByLabel("Search bans").fill("example.org");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\?q=example\.org/);
  await expect(page.getByRole("button", { name: /^Unban / })).toHaveCount(1);

  // Unban behind a confirmation; the address may subscribe again.
  await page.getByRole("button", { name: "Unban spammer@example.org" }).click();
  await page.getByRole("button", { name: "Confirm unban" }).click();
  await expect(page.getByText("spammer@example.org is no longer banned.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Unban spammer@example.org" })).toHaveCount(0);
  expect((await allBans(client(), { listId })).map((b) => b.email)).toEqual(["^.*@spam\\.example$"]);
  await expect(subscribe(listId, "spammer@example.org")).resolves.toMatchObject({ kind: "subscribed" });
});

test("bans are paginated by the server", async ({ page }) => {
  const listId = await freshList();
  const mailman = client();
  for (let i = 0; i < 27; i++) await addBan(mailman, { listId }, `p${String(i).padStart(2, "0")}@paged.example`);
  await signIn(page, people.owner);
  await page.goto(`/lists/${seeded.targetId}/${listId}/bans`);
  await expect(page.getByText("Page 1 of 2")).toBeVisible();
  await expect(page.getByRole("button", { name: /^Unban / })).toHaveCount(25);
  await page.getByRole("link", { name: "Next page →" }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByRole("button", { name: /^Unban / })).toHaveCount(2);
  await expect(page.getByRole("button", { name: "Unban p26@paged.example" })).toBeVisible();
});

test("a superuser bans and unbans site-wide; others cannot reach global bans", async ({ page, browser }) => {
  const address = `${uniqueName("g")}@global-ban.example`;
  await signIn(page, people.admin);
  await page.goto(`/admin/targets/${seeded.targetId}/bans`);
  const form = page.getByRole("form", { name: "Ban an address" });
  await form.getByLabel("Address or pattern").fill(address);
  await form.getByRole("button", { name: "Ban" }).click();
  await expect(form.getByText(`${address} is banned.`)).toBeVisible();
  await expect(subscribe(seeded.listId("other"), address)).rejects.toMatchObject({ description: "Membership is banned" });

  await page.getByLabel("Search bans").fill(address);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("button", { name: `Unban ${address}` }).click();
  await page.getByRole("button", { name: "Confirm unban" }).click();
  await expect(page.getByText(`${address} is no longer banned.`)).toBeVisible();
  expect((await allBans(client(), "global")).map((b) => b.email)).not.toContain(address);

  const other = await browser.newPage();
  await signIn(other, people.owner);
  const response = await other.goto(`/admin/targets/${seeded.targetId}/bans`);
  expect(response?.status()).toBe(403);
  await other.close();
});
