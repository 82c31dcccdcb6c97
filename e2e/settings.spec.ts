import { MailmanClient } from "../lib/mailman";
import { core, expect, people, seeded, signIn, test, uniqueName } from "./fixtures";

const client = new MailmanClient({ baseUrl: core.restUrl, user: core.user, password: core.password });
const created: string[] = [];

/** A list of this spec's own, owned by people.owner, so other specs' lists are left alone. */
async function ownedList(): Promise<string> {
  const listId = await client.createList({ fqdnListname: `${uniqueName("settings")}@${seeded.domain}` });
  created.push(listId);
  await client.subscribe({ listId, subscriber: people.owner.email, role: "owner", preVerified: true, preConfirmed: true, preApproved: true });
  return listId;
}

const settingsPath = (listId: string, section: string) => `/lists/${seeded.targetId}/${encodeURIComponent(listId)}/settings/${section}`;

test.afterAll(async () => {
  for (const listId of created) await client.deleteList(listId).catch(() => undefined);
});

test("an owner changes settings after reviewing the change summary, with a warning for risky ones", async ({ page }) => {
  const listId = await ownedList();
  await signIn(page, people.owner);

  await page.goto(`/lists/${seeded.targetId}/${encodeURIComponent(listId)}/settings`);
  await expect(page).toHaveURL(/\/settings\/identity$/);
  await page.getByLabel("Short description").fill("Notes of the ant team");
  await page.getByRole("button", { name: "Review changes" }).click();
  const summary = page.getByTestId("change-summary");
  await expect(summary).toContainText("Short description");
  await expect(summary).toContainText("(empty)");
  await expect(summary).toContainText("Notes of the ant team");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Saved 1 change.")).toBeVisible();
  expect((await client.getListConfig(listId)).description).toBe("Notes of the ant team");

  await page.getByRole("link", { name: "Message acceptance" }).click();
  await page.getByLabel("Emergency moderation").check();
  // A numeric input with the bounds the server checks too.
  await expect(page.getByLabel("Maximum message size (KB)")).toHaveAttribute("type", "number");
  await expect(page.getByLabel("Maximum message size (KB)")).toHaveAttribute("min", "0");
  await expect(page.getByLabel("Maximum message size (KB)")).toHaveAttribute("step", "1");
  await page.getByLabel("Maximum message size (KB)").fill("-5");
  await page.getByRole("button", { name: "Review changes" }).click();
  await expect(page.getByText('"Maximum message size (KB)" must be a whole number of 0 or more.')).toBeVisible();
  // The summary under the form names the field (it is above) and the field has the focus.
  await expect(page.getByRole("alert").filter({ hasText: "Correct the field" })).toHaveText("Correct the field “Maximum message size (KB)”: each is marked with its problem.");
  await expect(page.getByLabel("Maximum message size (KB)")).toBeFocused();
  await page.getByLabel("Maximum message size (KB)").fill("80");
  await page.getByRole("button", { name: "Review changes" }).click();
  await expect(summary).toContainText("Emergency moderation");
  await expect(summary).toContainText("Every post will be held for a moderator");
  await expect(summary).toContainText("Maximum message size (KB)");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Saved 2 changes.")).toBeVisible();
  expect(await client.getListConfig(listId)).toMatchObject({ emergency: true, max_message_size: 80 });
});

test("a concurrent edit is detected and only overwritten on request", async ({ page }) => {
  const listId = await ownedList();
  await signIn(page, people.owner);
  await page.goto(settingsPath(listId, "identity"));
  await page.getByLabel("Display name").fill("Mine");

  // Another admin changes the description behind the page's back.
  await client.patchListConfig(listId, { description: "Edited elsewhere" });

  await page.getByRole("button", { name: "Review changes" }).click();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Someone changed these settings since you opened this page")).toBeVisible();
  await expect(page.getByTestId("conflict-keys")).toContainText("Short description");
  await expect(page.getByTestId("conflict-keys")).toContainText("Edited elsewhere");
  expect((await client.getListConfig(listId)).display_name).not.toBe("Mine");

  await page.getByRole("button", { name: "Overwrite anyway" }).click();
  await expect(page.getByText("Saved 1 change.")).toBeVisible();
  // Only the owner's own change was sent: the other admin's description survives.
  expect(await client.getListConfig(listId)).toMatchObject({ display_name: "Mine", description: "Edited elsewhere" });
});

test("a plain member cannot open a list's settings", async ({ page }) => {
  await signIn(page, people.member);
  const response = await page.goto(settingsPath(seeded.listId("owned"), "identity"));
  expect(response?.status()).toBe(403);
});
