import { fileURLToPath } from "node:url";
import { MailmanClient } from "../lib/mailman";
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

test("an owner imports a Google Groups members export: a bouncing row left out then chosen, names kept, a Google owner made owner after the job", async ({ page }) => {
  const mailman = client();
  const domain = await ownDomain(mailman);
  const listId = await mailman.createList({ fqdnListname: `${uniqueName("gg-")}@${domain}` });
  await mailman.subscribe({ listId, subscriber: people.owner.email, role: "owner", ...flags });

  await signIn(page, people.owner);
  await page.goto(`/lists/${seeded.targetId}/${listId}/members/subscribe`);
  await page.getByLabel("Or choose a CSV file").setInputFiles(fileURLToPath(new URL("./files/google-groups-members.csv", import.meta.url)));
  await page.getByRole("button", { name: "Check addresses" }).click();

  await expect(page.getByRole("heading", { name: "Google Groups export: Choir Friends" })).toBeVisible();
  await expect(page.getByTestId("preflight-count-subscribe")).toHaveText("To subscribe: 4");
  const leftOut = page.getByTestId("google-groups-left-out");
  await expect(leftOut).toContainText("Left out: 2 of 2 rows");
  await expect(leftOut).toContainText("dave.bounce@choir.example");
  await expect(leftOut).toContainText("bouncing");

  await leftOut.getByLabel(/Subscribe anyway: line 6/).check();
  await expect(page.getByTestId("preflight-count-subscribe")).toHaveText("To subscribe: 5");
  await expect(leftOut).toContainText("Left out: 1 of 2 rows");
  await page.getByLabel(/Make anna\.owner@choir\.example an owner/).check();
  await page.getByLabel("These people asked to join this list, or agreed to").check();
  await page.getByRole("button", { name: "Subscribe 5 addresses" }).click();

  await expect(page).toHaveURL(/\/members\/jobs\/\d+$/);
  await expect(page.getByTestId("job-status")).toHaveText("Finished", { timeout: 30_000 });
  const roles = page.getByTestId("import-roles");
  await expect(roles).toContainText("anna.owner@choir.example");
  await page.reload();
  await page.getByRole("button", { name: "Add 1 role" }).click();
  await expect(roles).toContainText("Now an owner.");

  const members = await mailman.fullRoster(listId, "member", ["email", "display_name"]);
  expect(members.map((m) => m.email)).toEqual(["anna.owner@choir.example", "ben.manager@choir.example", "carla@choir.example", "dave.bounce@choir.example", "fred@choir.example"]);
  expect(members.find((m) => m.email === "ben.manager@choir.example")?.display_name).toBe("Bennett, Ben");
  expect((await mailman.fullRoster(listId, "owner", ["email"])).map((m) => m.email).sort()).toEqual(["anna.owner@choir.example", people.owner.email].sort());
  expect(await mailman.fullRoster(listId, "moderator", ["email"])).toEqual([]);
});
