import { MailmanClient } from "../lib/mailman";
import { allBans } from "../lib/mailman/bans";
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

test("an owner disables a list after seeing the plan, finds it marked in the index, and re-enables it exactly as it was", async ({ page, browser }) => {
  const mailman = client();
  const domain = await ownDomain(mailman);
  const name = uniqueName("dis-");
  const listId = await mailman.createList({ fqdnListname: `${name}@${domain}` });
  await mailman.subscribe({ listId, subscriber: people.owner.email, role: "owner", ...flags });
  await mailman.subscribe({ listId, subscriber: "reader@disable.example", ...flags });
  await mailman.patchListConfig(listId, { description: "Choir rehearsals", advertised: true, default_member_action: "accept", default_nonmember_action: "hold" });

  await signIn(page, people.owner);
  await page.goto(`/lists/${seeded.targetId}/${listId}`);
  await page.getByRole("link", { name: "Disable or archive this list…" }).click();
  await page.getByRole("button", { name: "Show what will change" }).click();
  const plan = page.getByRole("table");
  await expect(plan.getByRole("row", { name: /Description/ })).toContainText("[Disabled] Choir rehearsals");
  await expect(plan.getByRole("row", { name: /members' posts/ }).first()).toContainText("Discard");
  await expect(plan.getByRole("row", { name: /\^\.\*@\.\* added/ })).toBeVisible();
  // Nothing changed yet.
  expect((await mailman.getListConfig(listId)).description).toBe("Choir rehearsals");

  await page.getByRole("button", { name: "Disable the list" }).click();
  await expect(page.getByText("This list is disabled")).toBeVisible();
  await expect(page.getByText("You were an owner of this list when it was disabled")).toBeVisible();
  expect((await mailman.getListConfig(listId)).description).toBe("[Disabled] Choir rehearsals");
  expect((await mailman.fullRoster(listId, "owner", ["email"])).map((o) => o.email)).not.toContain(people.owner.email);

  // The list's summary says so to whoever can still open it (here the superuser), with the way back.
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signIn(adminPage, people.admin);
  await adminPage.goto(`/lists/${seeded.targetId}/${listId}`);
  await expect(adminPage.getByRole("status").filter({ hasText: "Disabled list" })).toContainText("Posts are discarded and nobody can join.");
  await expect(adminPage.getByRole("link", { name: "Re-enable it" })).toBeVisible();
  await adminContext.close();

  // Marked in the index, and found by the status filter.
  await page.goto(`/lists?status=disabled&q=${name}`);
  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(row.getByTestId("list-disabled-badge")).toHaveText("Disabled");
  await page.goto(`/lists?status=active&q=${name}`);
  await expect(page.getByText("No lists match")).toBeVisible();

  // The former owner finds the list through the index and re-enables it.
  await page.goto("/lists");
  await page.getByRole("status").filter({ hasText: "Lists you owned before they were disabled" }).getByRole("link", { name: `${name}@${domain}` }).click();
  await expect(page.getByRole("table", { name: "What re-enabling changes" })).toContainText(people.owner.email);
  await page.getByRole("button", { name: "Re-enable" }).click();
  await expect(page.getByText("The list is enabled again.")).toBeVisible();

  const config = await mailman.getListConfig(listId);
  expect(config.description).toBe("Choir rehearsals");
  expect(config.default_member_action).toBe("accept");
  expect(config.default_nonmember_action).toBe("hold");
  expect((await mailman.fullRoster(listId, "owner", ["email"])).map((o) => o.email)).toEqual([people.owner.email]);
  expect(await allBans(mailman, { listId })).toEqual([]);
  await page.goto(`/lists?status=disabled&q=${name}`);
  await expect(page.getByText("No lists match")).toBeVisible();
});
