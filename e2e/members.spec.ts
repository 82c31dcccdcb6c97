import { MailmanClient } from "../lib/mailman";
import { core, expect, people, seeded, signIn, test, uniqueName } from "./fixtures";

const client = () => new MailmanClient({ baseUrl: core.restUrl, user: core.user, password: core.password });

/** A list owned by people.owner only, with a few members (display names "Reader 0" …). */
async function freshList(members: string[] = []): Promise<string> {
  const mailman = client();
  const listId = await mailman.createList({ fqdnListname: `${uniqueName("mem-")}@${seeded.domain}` });
  await mailman.subscribe({ listId, subscriber: people.owner.email, role: "owner", preVerified: true, preConfirmed: true, preApproved: true });
  for (const [i, email] of members.entries()) {
    await mailman.subscribe({ listId, subscriber: email, displayName: `Reader ${i}`, preVerified: true, preConfirmed: true, preApproved: true });
  }
  return listId;
}

test("an owner searches the roster, opens a member and changes the moderation action", async ({ page }) => {
  const listId = await freshList(["alice@readers.example", "bob@readers.example", "carol@readers.example"]);
  await signIn(page, people.owner);
  await page.goto(`/lists/${seeded.targetId}/${listId}/members`);
  await expect(page.getByRole("table").getByText("<alice@readers.example>")).toBeVisible();
  await expect(page.getByText("1–3 of 3 members")).toBeVisible();
  // No column of dashes: the delivery status is shown only where the view is filtered by it.
  await expect(page.getByRole("columnheader", { name: "Status" })).toHaveCount(0);
  await page.goto(`/lists/${seeded.targetId}/${listId}/members?status=enabled`);
  await expect(page.getByRole("columnheader", { name: "Status" })).toBeVisible();
  await expect(page.getByRole("row").nth(1)).toContainText("Enabled");
  await page.goto(`/lists/${seeded.targetId}/${listId}/members`);

  await page.getByLabel("Search members").fill("BOB");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\?q=BOB/);
  await expect(page.getByText("1–1 of 1 members matching the search")).toBeVisible();
  await page.getByRole("link", { name: /bob@readers\.example/ }).click();

  await expect(page.getByTestId("member-address")).toContainText("bob@readers.example");
  // The member's language is chosen from the core's languages, as the list's is.
  await expect(page.getByLabel("Preferred language").locator("option", { hasText: "Portuguese (Brazil)" })).toHaveAttribute("value", "pt_BR");
  await expect(page.getByLabel("Preferred language")).toHaveValue("inherit");
  const moderation = page.getByRole("form", { name: "Moderation" });
  await expect(moderation.getByLabel("Moderation action")).toHaveValue("default");
  await expect(moderation.getByRole("option", { name: "Defer" })).toHaveCount(0);
  await moderation.getByLabel("Moderation action").selectOption("hold");
  await moderation.getByRole("button", { name: "Save moderation" }).click();
  await expect(page.getByText("Moderation action saved: Hold.")).toBeVisible();

  await page.reload();
  await expect(page.getByRole("form", { name: "Moderation" }).getByLabel("Moderation action")).toHaveValue("hold");
  const [bob] = (await client().findMembers({ listId, subscriber: "bob@readers.example" }, { count: 1, page: 1 })).entries;
  expect(bob?.moderation_action).toBe("hold");

  // The roster shows it, and the moderation filter finds it.
  await page.goto(`/lists/${seeded.targetId}/${listId}/members?moderation=hold`);
  await expect(page.getByRole("row")).toHaveCount(2);
  await expect(page.getByRole("row").nth(1)).toContainText("Hold");
});

test("an owner adds and removes a moderator; removing the last owner is refused", async ({ page }) => {
  const listId = await freshList();
  await signIn(page, people.owner);
  await page.goto(`/lists/${seeded.targetId}/${listId}/members?role=moderator`);
  await expect(page.getByText("No moderators")).toBeVisible();

  await page.getByLabel("Email address").fill("Helper@Readers.example");
  await page.getByRole("button", { name: "Add moderator" }).click();
  await expect(page.getByText("helper@readers.example is now a moderator.")).toBeVisible();
  await expect(page.getByRole("cell", { name: "helper@readers.example", exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Remove helper@readers.example as moderator" }).click();
  await page.getByRole("button", { name: "Confirm removal" }).click();
  await expect(page.getByText("No moderators")).toBeVisible();
  expect(await client().rosterSize(listId, "moderator")).toBe(0);

  await page.goto(`/lists/${seeded.targetId}/${listId}/members?role=owner`);
  const me = people.owner.email.toLowerCase();
  await page.getByRole("button", { name: `Remove ${me} as owner` }).click();
  await page.getByRole("button", { name: "Confirm removal" }).click();
  await expect(page.getByText(/last owner/)).toBeVisible();
  expect(await client().rosterSize(listId, "owner")).toBe(1);
});

test("the CSV export downloads every row of the roster", async ({ page }) => {
  const listId = await freshList(["dora@readers.example", "eve@readers.example"]);
  await client().subscribe({ listId, subscriber: "quoted@readers.example", displayName: 'Doe, "Q"', preVerified: true, preConfirmed: true, preApproved: true });
  await signIn(page, people.owner);
  await page.goto(`/lists/${seeded.targetId}/${listId}/members`);
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`${listId}-members.csv`);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const lines = Buffer.concat(chunks).toString("utf8").split("\r\n");
  expect(lines[0]).toBe("email,display_name,role,delivery_mode,delivery_status,moderation_action,bounce_score,last_bounce_received,subscription_mode,member_id");
  expect(lines.filter(Boolean)).toHaveLength(4);
  expect(lines[1]).toMatch(/^dora@readers\.example,Reader 0,member,regular,enabled,,0,,as_address,[0-9a-f]{32}$/);
  expect(lines.some((l) => l.startsWith('quoted@readers.example,"Doe, ""Q""",member,'))).toBe(true);
});

test("a member of a list cannot open its roster or export it", async ({ page }) => {
  const listId = seeded.listId("owned");
  await signIn(page, people.member);
  const response = await page.goto(`/lists/${seeded.targetId}/${listId}/members`);
  expect(response?.status()).toBe(403);
  const exported = await page.request.get(`/lists/${seeded.targetId}/${listId}/members/export`);
  expect(exported.status()).toBe(403);
  expect(exported.headers()["content-type"]).toContain("application/json");
});

test("the owner of one list cannot read another list's roster or export it", async ({ page }) => {
  await signIn(page, people.owner);
  const listId = seeded.listId("other");
  expect((await page.goto(`/lists/${seeded.targetId}/${listId}/members?role=owner`))?.status()).toBe(403);
  expect((await page.request.get(`/lists/${seeded.targetId}/${listId}/members/export?role=owner`)).status()).toBe(403);
});
