import { readFile } from "node:fs/promises";
import { MailmanClient } from "../lib/mailman";
import { allBans } from "../lib/mailman/bans";
import { addHeaderMatch, listHeaderMatches } from "../lib/mailman/header-matches";
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

test("an owner exports one list's configuration and imports it into another after previewing every change", async ({ page }) => {
  const mailman = client();
  const domain = await ownDomain(mailman);
  const source = await mailman.createList({ fqdnListname: `${uniqueName("cfg-a-")}@${domain}` });
  const dest = await mailman.createList({ fqdnListname: `${uniqueName("cfg-b-")}@${domain}` });
  for (const listId of [source, dest]) await mailman.subscribe({ listId, subscriber: people.owner.email, role: "owner", ...flags });
  await mailman.patchListConfig(source, { max_message_size: 321, subject_prefix: "[A] " });
  await addHeaderMatch(mailman, source, { header: "x-spam-flag", pattern: "yes", action: "discard" });
  await mailman.create(`/lists/${source}/bans`, { email: "spammer@cfg.example" });

  await signIn(page, people.owner);
  await page.goto(`/lists/${seeded.targetId}/${source}/config`);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download the configuration (JSON)" }).click();
  const file = (await (await download).path())!;
  const exported = JSON.parse(await readFile(file, "utf8"));
  expect(exported).toMatchObject({ format: "listkeeper/list-config", version: 1, bans: ["spammer@cfg.example"] });

  await page.goto(`/lists/${seeded.targetId}/${dest}`);
  await page.getByRole("navigation", { name: "List sections" }).getByRole("link", { name: "Configuration" }).click();
  await page.getByLabel("Configuration file").setInputFiles(file);
  await page.getByRole("button", { name: "Preview the import" }).click();
  const plan = page.getByTestId("config-plan");
  await expect(plan.getByRole("row", { name: /Maximum message size/ })).toContainText("321");
  await expect(plan).toContainText("Header filter added: x-spam-flag: yes → discard");
  await expect(plan).toContainText("Ban added: spammer@cfg.example");
  await expect(plan).toContainText("Kept as they are:");
  // Previewing sent nothing.
  expect(await allBans(mailman, { listId: dest })).toEqual([]);

  await page.getByRole("button", { name: /^Apply \d+ changes?$/ }).click();
  await expect(page.getByTestId("config-result")).toContainText("done");
  expect((await mailman.getListConfig(dest)).max_message_size).toBe(321);
  expect((await mailman.getListConfig(dest)).subject_prefix).not.toBe("[A] ");
  expect((await listHeaderMatches(mailman, dest)).map((m) => m.header)).toEqual(["x-spam-flag"]);
  expect((await allBans(mailman, { listId: dest })).map((b) => b.email)).toEqual(["spammer@cfg.example"]);
});
