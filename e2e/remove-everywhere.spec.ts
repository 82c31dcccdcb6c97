import { readFile } from "node:fs/promises";
import { MailmanClient } from "../lib/mailman";
import { isBanned, removeBan } from "../lib/mailman/bans";
import { core, expect, people, seeded, signIn, test, uniqueName } from "./fixtures";

const client = () => new MailmanClient({ baseUrl: core.restUrl, user: core.user, password: core.password });
const flags = { preVerified: true, preConfirmed: true, preApproved: true };

async function roles(mailman: MailmanClient, listId: string, email: string): Promise<string[]> {
  const page = await mailman.findMembers({ listId, subscriber: email }, { count: 10, page: 1 }, ["role"]);
  return page.entries.map((m) => m.role ?? "").sort();
}

test("a superuser removes an address everywhere: member and owner roles, the last owner refused, a global ban, a report per list", async ({ page }) => {
  const mailman = client();
  // A domain of this spec's own: its lists stay out of the seeded domain's index pages.
  const domain = `${uniqueName("everywhere-")}.e2e.test`;
  await mailman.createDomain({ mailHost: domain });
  const address = `${uniqueName("leaver")}@people.example`;
  const [memberList, sharedList, soleList] = [
    await mailman.createList({ fqdnListname: `${uniqueName("rm-")}@${domain}` }),
    await mailman.createList({ fqdnListname: `${uniqueName("rm-")}@${domain}` }),
    await mailman.createList({ fqdnListname: `${uniqueName("rm-")}@${domain}` }),
  ];
  await mailman.subscribe({ listId: memberList, subscriber: address, ...flags });
  await mailman.subscribe({ listId: sharedList, subscriber: address, role: "owner", ...flags });
  await mailman.subscribe({ listId: sharedList, subscriber: `co-${address}`, role: "owner", ...flags });
  await mailman.subscribe({ listId: soleList, subscriber: address, role: "owner", ...flags });

  try {
    await signIn(page, people.admin);
    await page.goto("/admin/people");
    await page.getByLabel("Address, pattern or name").fill(address);
    const server = page.getByLabel("Server");
    if (await server.isVisible()) await server.selectOption(String(seeded.targetId));
    await page.getByRole("button", { name: "Find" }).click();
    await expect(page.getByTestId("membership-row")).toHaveCount(3);

    // Member only by default: the owner roles are kept.
    const panel = page.getByTestId("remove-everywhere");
    await expect(panel.getByLabel("Member (subscriptions)")).toBeChecked();
    await expect(panel.getByLabel("Owner")).not.toBeChecked();
    await panel.getByRole("button", { name: "Preview the removal" }).click();
    await expect(panel.getByTestId("remove-preview-row")).toHaveCount(1);
    await expect(panel.getByTestId("remove-preview")).toContainText("Kept (role not chosen)");

    // Owner chosen explicitly, and a global ban: the list it alone owns is refused.
    await panel.getByLabel("Owner").check();
    await panel.getByLabel("Also ban globally").check();
    await panel.getByRole("button", { name: "Preview the removal" }).click();
    const rows = panel.getByTestId("remove-preview-row");
    await expect(rows).toHaveCount(4);
    await expect(rows.filter({ hasText: memberList })).toContainText("Removed");
    await expect(rows.filter({ hasText: sharedList })).toContainText("Removed");
    await expect(rows.filter({ hasText: soleList })).toContainText("Refused: last owner");
    await expect(rows.filter({ hasText: "Global ban" })).toContainText("Banned");
    await expect(panel.getByTestId("remove-preview")).toContainText("2 memberships will be removed, 1 refused (last owner), 1 global ban added");

    await panel.getByRole("button", { name: "Remove everywhere…" }).click();
    const dialog = page.getByRole("dialog");
    const start = dialog.getByRole("button", { name: "Remove everywhere" });
    await dialog.getByLabel(/Type .* to confirm/).fill("someone@else.example");
    await expect(start).toBeDisabled();
    await dialog.getByLabel(/Type .* to confirm/).fill(address);
    await start.click();

    await expect(page).toHaveURL(/\/admin\/people\/jobs\/\d+$/);
    await expect(page.getByTestId("job-status")).toHaveText("Finished", { timeout: 30_000 });
    await expect(page.getByTestId("job-count")).toHaveText("4 of 4 done");
    const report = page.getByTestId("report-row");
    await expect(report.filter({ hasText: memberList })).toContainText("Removed");
    await expect(report.filter({ hasText: sharedList })).toContainText("Removed");
    await expect(report.filter({ hasText: soleList })).toContainText("Refused: last owner");
    await expect(report.filter({ hasText: soleList })).toContainText("would be left without an owner");
    await expect(report.filter({ hasText: "Global ban" })).toContainText("Banned on the server");

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download the report (CSV)" }).click();
    const csv = await readFile((await (await download).path())!, "utf8");
    expect(csv.split("\r\n")[0] ?? csv.split("\n")[0]).toContain("position,server,list_id,role,email,outcome");
    expect(csv).toContain(`${soleList},owner,${address},refused_last_owner`);
    expect(csv).toContain(`${memberList},member,${address},removed`);

    // The core agrees.
    expect(await roles(mailman, memberList, address)).toEqual([]);
    expect(await roles(mailman, sharedList, address)).toEqual([]);
    expect(await roles(mailman, soleList, address)).toEqual(["owner"]);
    expect(await isBanned(mailman, "global", address)).toBe(true);

    // The search page links to the job it started.
    await page.getByRole("link", { name: `← Find ${address} again` }).click();
    await expect(page.getByRole("link", { name: /^Job \d+$/ })).toBeVisible();
  } finally {
    await removeBan(mailman, "global", address).catch(() => undefined);
  }
});

test("a list owner cannot open a remove-everywhere job", async ({ page }) => {
  await signIn(page, people.owner);
  const response = await page.goto("/admin/people/jobs/1");
  expect(response?.status()).toBe(403);
});
