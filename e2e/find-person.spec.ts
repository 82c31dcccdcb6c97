import { MailmanClient } from "../lib/mailman";
import { addBan } from "../lib/mailman/bans";
import { core, expect, people, seeded, signIn, test, uniqueName } from "./fixtures";

const client = () => new MailmanClient({ baseUrl: core.restUrl, user: core.user, password: core.password });
const flags = { preVerified: true, preConfirmed: true, preApproved: true };

/**
 * A domain of this spec's own on the seeded core: its lists stay out of the seeded domain, whose
 * index page other specs read (25 lists a page).
 */
async function ownDomain(mailman: MailmanClient): Promise<string> {
  const mailHost = `${uniqueName("own-")}.e2e.test`;
  await mailman.createDomain({ mailHost });
  return mailHost;
}

test("a superuser finds an address on three lists, with its roles, and what refuses it", async ({ page }) => {
  const mailman = client();
  const domain = await ownDomain(mailman);
  const address = `${uniqueName("findme")}@people.example`;
  const lists: string[] = [];
  for (let i = 0; i < 3; i++) lists.push(await mailman.createList({ fqdnListname: `${uniqueName("find-")}@${domain}` }));
  await mailman.subscribe({ listId: lists[0]!, subscriber: address, displayName: "Findable Person", ...flags });
  await mailman.subscribe({ listId: lists[1]!, subscriber: address, deliveryMode: "mime_digests", ...flags });
  await mailman.subscribe({ listId: lists[2]!, subscriber: address, role: "owner", ...flags });
  await addBan(mailman, { listId: lists[0]! }, `^${address.split("@")[0]}@.*`);

  await signIn(page, people.admin);
  await page.getByRole("link", { name: "Find a person" }).click();
  await page.getByLabel("Address, pattern or name").fill(address.toUpperCase());
  const server = page.getByLabel("Server");
  if (await server.isVisible()) await server.selectOption(String(seeded.targetId));
  await page.getByRole("button", { name: "Find" }).click();

  const rows = page.getByTestId("membership-row");
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: lists[0]! })).toContainText("Member");
  await expect(rows.filter({ hasText: lists[1]! })).toContainText("MIME digest");
  await expect(rows.filter({ hasText: lists[2]! })).toContainText("Owner");
  await expect(page.getByText(`Mailman user on ${seeded.targetName}`)).toBeVisible();
  await expect(page.getByTestId("remove-everywhere").getByRole("button", { name: "Preview the removal" })).toBeVisible();

  // The details stream in below: the list ban pattern that refuses the address.
  const detail = page.getByTestId("person-list-detail").filter({ hasText: lists[0]! });
  await expect(detail).toContainText(`refuses ${address}`);
  await expect(page.getByTestId("person-details")).toContainText("Enabled");

  // A pattern lists the matching addresses; each leads to the exact search.
  await page.getByLabel("Address, pattern or name").fill(`${address.split("@")[0]}*`);
  await page.getByRole("button", { name: "Find" }).click();
  await expect(rows).toHaveCount(3);
  await rows.first().getByRole("link", { name: address }).click();
  await expect(page.getByLabel("Address, pattern or name")).toHaveValue(address);
});

test("a list owner cannot open the people search", async ({ page }) => {
  await signIn(page, people.owner);
  await expect(page.getByRole("link", { name: "Find a person" })).toHaveCount(0);
  const response = await page.goto("/admin/people?q=someone@example.org");
  expect(response?.status()).toBe(403);
});
