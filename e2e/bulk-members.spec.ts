import { readFile } from "node:fs/promises";
import { MailmanClient } from "../lib/mailman";
import { core, expect, people, seeded, signIn, test, uniqueName } from "./fixtures";

const client = () => new MailmanClient({ baseUrl: core.restUrl, user: core.user, password: core.password });
const flags = { preVerified: true, preConfirmed: true, preApproved: true };

async function freshList(members: string[] = []): Promise<string> {
  const mailman = client();
  const listId = await mailman.createList({ fqdnListname: `${uniqueName("bulk-")}@${seeded.domain}` });
  await mailman.subscribe({ listId, subscriber: people.owner.email, role: "owner", ...flags });
  for (const email of members) await mailman.subscribe({ listId, subscriber: email, ...flags });
  return listId;
}

async function rosterEmails(listId: string): Promise<string[]> {
  return (await client().fullRoster(listId, "member", ["email"])).map((m) => m.email ?? "").sort();
}

test("an owner mass-subscribes from pasted text: preflight, consent, progress to the end, report", async ({ page }) => {
  const listId = await freshList(["old@bulk.example"]);
  const fresh = Array.from({ length: 40 }, (_, i) => `new${String(i).padStart(2, "0")}@bulk.example`);
  await signIn(page, people.owner);
  await page.goto(`/lists/${seeded.targetId}/${listId}/members`);
  await page.getByRole("link", { name: "Mass subscribe" }).click();

  await page.getByLabel("Addresses to subscribe").fill(["Old Timer <OLD@bulk.example>", ...fresh, "not an address", "NEW00@bulk.example"].join("\n"));
  await page.getByRole("button", { name: "Check addresses" }).click();
  await expect(page.getByTestId("preflight-count-subscribe")).toHaveText("To subscribe: 40");
  await expect(page.getByTestId("preflight-count-member")).toHaveText("Already a member: 1");
  await expect(page.getByText("1 invalid line: reported as invalid, never sent")).toBeVisible();
  await expect(page.getByText("1 duplicate ignored (same address, any case)")).toBeVisible();
  // Nothing has been sent yet.
  expect(await rosterEmails(listId)).toEqual(["old@bulk.example"]);

  const start = page.getByRole("button", { name: "Subscribe 41 addresses" });
  await expect(start).toBeDisabled();
  await page.getByLabel("These people asked to join this list, or agreed to").check();
  await start.click();

  await expect(page).toHaveURL(/\/members\/jobs\/\d+$/);
  const progress = page.getByRole("progressbar", { name: "Addresses done" });
  await expect(progress).toBeVisible();
  await expect(page.getByTestId("job-status")).toHaveText("Finished", { timeout: 30_000 });
  await expect(progress).toHaveAttribute("aria-valuenow", "42");
  await expect(page.getByTestId("job-count")).toHaveText("42 of 42 addresses");
  await expect(page.getByTestId("outcome-subscribed")).toHaveText("Subscribed: 40");
  await expect(page.getByTestId("outcome-already_member")).toHaveText("Already a member: 1");
  await expect(page.getByTestId("outcome-invalid")).toHaveText("Invalid: 1");
  // The report table below refreshes by itself once the job has finished.
  await expect(page.getByRole("row").nth(1)).toContainText("Already a member");
  await expect(page.getByRole("row").nth(2)).toContainText("Subscribed");

  await page.getByRole("link", { name: "Invalid (1)" }).click();
  await expect(page.getByRole("row")).toHaveCount(2);
  await expect(page.getByRole("row").nth(1)).toContainText("not an address");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download the report (CSV)" }).click();
  const csv = await readFile((await (await download).path())!, "utf8");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toBe("line,email,display_name,outcome,outcome_label,detail");
  expect(lines).toHaveLength(43);
  expect(lines[1]).toBe("1,OLD@bulk.example,Old Timer,already_member,Already a member,");

  expect(await rosterEmails(listId)).toEqual(["old@bulk.example", ...fresh].sort());
  // The job stays listed on the Members page.
  await page.goto(`/lists/${seeded.targetId}/${listId}/members`);
  await expect(page.getByRole("region", { name: "Recent bulk jobs" }).getByText("Finished")).toBeVisible();
});

test("an owner removes all members behind a typed count, after the backup is offered", async ({ page }) => {
  const members = Array.from({ length: 25 }, (_, i) => `gone${i}@bulk.example`);
  const listId = await freshList(members);
  await signIn(page, people.owner);
  await page.goto(`/lists/${seeded.targetId}/${listId}/members/remove`);
  await expect(page.getByRole("link", { name: "Download a backup of the roster (CSV)" }).last()).toHaveAttribute("href", /\/members\/export$/);

  await page.getByRole("button", { name: "Remove all 25 members…" }).click();
  const dialog = page.getByRole("dialog", { name: "Remove all 25 members?" });
  const confirm = dialog.getByRole("button", { name: "Remove all members" });
  await dialog.getByLabel("Type 25 to confirm").fill("24");
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Type 25 to confirm").fill("25");
  await confirm.click();

  await expect(page).toHaveURL(/\/members\/jobs\/\d+$/);
  await expect(page.getByTestId("job-status")).toHaveText("Finished", { timeout: 30_000 });
  await expect(page.getByTestId("outcome-removed")).toHaveText("Removed: 25");
  expect(await rosterEmails(listId)).toEqual([]);
  // The owner is still an owner: remove-all touches members only.
  const owners = await client().fullRoster(listId, "owner", ["email"]);
  expect(owners.map((o) => o.email)).toEqual([people.owner.email]);
});

test("an owner removes the members listed in a CSV file; non-members are reported, not errors", async ({ page }) => {
  const listId = await freshList(["csv1@bulk.example", "csv2@bulk.example", "keep@bulk.example"]);
  await signIn(page, people.owner);
  await page.goto(`/lists/${seeded.targetId}/${listId}/members/remove`);
  const form = page.getByRole("form", { name: "Remove listed addresses" });
  await form.getByLabel("Or choose a CSV file").setInputFiles({
    name: "leavers.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("Name,Email\nOne,CSV1@bulk.example\nTwo,csv2@bulk.example\nStranger,nobody@bulk.example\n"),
  });
  await expect(form.getByText("CSV file leavers.csv · 4 rows")).toBeVisible();
  await form.getByRole("button", { name: "Check addresses" }).click();
  await expect(form.getByTestId("preflight-count-remove")).toHaveText("To remove: 2");
  await expect(form.getByTestId("preflight-count-not_member")).toHaveText("Not a member: 1");
  await form.getByRole("button", { name: "Remove 2 members" }).click();

  await expect(page).toHaveURL(/\/members\/jobs\/\d+$/);
  await expect(page.getByTestId("job-status")).toHaveText("Finished", { timeout: 30_000 });
  await expect(page.getByTestId("outcome-removed")).toHaveText("Removed: 2");
  await expect(page.getByTestId("outcome-not_member")).toHaveText("Not a member: 1");
  expect(await rosterEmails(listId)).toEqual(["keep@bulk.example"]);
});
