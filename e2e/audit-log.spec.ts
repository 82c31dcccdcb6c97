import { readFile } from "node:fs/promises";
import { MailmanClient } from "../lib/mailman";
import { core, expect, people, seeded, signIn, test, uniqueName } from "./fixtures";

const client = () => new MailmanClient({ baseUrl: core.restUrl, user: core.user, password: core.password });

async function ownedList(): Promise<string> {
  const listId = await client().createList({ fqdnListname: `${uniqueName("audit-")}@${seeded.domain}` });
  await client().subscribe({ listId, subscriber: people.owner.email, role: "owner", preVerified: true, preConfirmed: true, preApproved: true });
  return listId;
}

async function ban(page: import("@playwright/test").Page, listId: string, email: string) {
  await page.goto(`/lists/${seeded.targetId}/${listId}/bans`);
  const form = page.getByRole("form", { name: "Ban an address" });
  await form.getByLabel("Address or pattern").fill(email);
  await form.getByRole("button", { name: "Ban" }).click();
  await expect(form.getByText(`${email} is banned.`)).toBeVisible();
}

test("an owner's changes appear in the list's activity and the site audit log, filtered to one list and exported", async ({ page, browser }) => {
  const first = await ownedList();
  const second = await ownedList();
  await signIn(page, people.owner);
  await ban(page, first, "first-spam@example.org");
  await ban(page, second, "second-spam@example.org");

  // The owner's own view of one list.
  await page.goto(`/lists/${seeded.targetId}/${first}`);
  await page.getByRole("link", { name: "Activity" }).click();
  const ownerTable = page.getByTestId("audit-table");
  await expect(ownerTable.getByRole("row")).toHaveCount(2);
  await expect(ownerTable.getByRole("cell", { name: "Address banned" })).toBeVisible();
  await expect(ownerTable.getByRole("cell", { name: "first-spam@example.org" })).toBeVisible();
  await expect(page.getByText("second-spam@example.org")).toHaveCount(0);

  // The owner is no superuser: the site log is refused.
  const refused = await page.goto("/admin/audit");
  expect(refused?.status()).toBe(403);

  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, people.admin);
  await admin.getByRole("link", { name: "Audit log" }).click();
  await expect(admin.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await admin.getByLabel("List", { exact: true }).fill(first);
  await admin.getByLabel("Action").selectOption({ label: "Address banned" });
  await admin.getByRole("button", { name: "Filter" }).click();
  await expect(admin).toHaveURL(new RegExp(`list=${first.replaceAll(".", "\\.")}`));
  const table = admin.getByTestId("audit-table");
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(table.getByRole("cell", { name: "first-spam@example.org" })).toBeVisible();
  await expect(table.getByRole("cell", { name: people.owner.email })).toBeVisible();

  const download = admin.waitForEvent("download");
  await admin.getByRole("link", { name: "Export CSV" }).click();
  const csv = await readFile(await (await download).path(), "utf8");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toBe("time_utc,actor,actor_kind,server,list,action,action_name,outcome,summary");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`${people.owner.email},user,`);
  expect(lines[1]).toContain(`,${first},Address banned,ban.add,ok,first-spam@example.org`);
});
