import { MailmanClient } from "../lib/mailman";
import { listHeaderMatches } from "../lib/mailman/header-matches";
import { core, expect, people, seeded, signIn, test, uniqueName } from "./fixtures";

const client = () => new MailmanClient({ baseUrl: core.restUrl, user: core.user, password: core.password });

/** A fresh list owned by the e2e owner, so that specs never share rules. */
async function freshList(): Promise<string> {
  const mailman = client();
  const listId = await mailman.createList({ fqdnListname: `${uniqueName("hf-")}@${seeded.domain}` });
  await mailman.subscribe({ listId, subscriber: people.owner.email, role: "owner", preVerified: true, preConfirmed: true, preApproved: true });
  return listId;
}

test("an owner adds, edits, reorders with the keyboard and deletes header filters, keeping tags", async ({ page }) => {
  const listId = await freshList();
  await signIn(page, people.owner);
  await page.goto(`/lists/${seeded.targetId}/${listId}/header-filters`);
  await expect(page.getByText("No header filters")).toBeVisible();
  await expect(page.getByRole("link", { name: "Header filters" })).toHaveAttribute("aria-current", "page");

  const add = page.getByRole("form", { name: "Add a header filter" });
  // "defer" is never offered.
  await expect(add.getByLabel("Action").locator("option")).toHaveText(["Use the site default", "Hold for moderation", "Reject", "Discard", "Accept"]);

  // Checked before sending: a header name with a space, a pattern that cannot compile.
  await add.getByLabel("Header").fill("X Spam");
  await add.getByLabel("Pattern").fill("[bad");
  await add.getByRole("button", { name: "Add rule" }).click();
  await expect(add.getByText(/no spaces and no colon/)).toBeVisible();
  await expect(add.getByText(/not a valid regular expression/)).toBeVisible();

  const rules = [
    { header: "X-Spam-Flag", pattern: "^yes", action: "Hold for moderation", tag: "SpamAssassin" },
    { header: "X-Bogosity", pattern: "Spam", action: "Discard", tag: "" },
    { header: "X-Mailer", pattern: "(?i)massmailer", action: "Reject", tag: "Mailers" },
  ];
  for (const rule of rules) {
    await add.getByLabel("Header").fill(rule.header);
    await add.getByLabel("Pattern").fill(rule.pattern);
    await add.getByLabel("Action").selectOption({ label: rule.action });
    await add.getByLabel("Tag").fill(rule.tag);
    await add.getByRole("button", { name: "Add rule" }).click();
    await expect(page.getByText(`(${rule.header.toLowerCase()}) added.`)).toBeVisible();
  }
  const headers = page.locator("tr[data-rule] td:nth-child(2)");
  await expect(headers).toHaveText(["x-spam-flag", "x-bogosity", "x-mailer"]);

  // The core's own refusal is shown next to the field: the same header and pattern twice.
  await add.getByLabel("Header").fill("x-spam-flag");
  await add.getByLabel("Pattern").fill("^yes");
  await add.getByRole("button", { name: "Add rule" }).click();
  await expect(add.getByText(/already has a rule with this header and this exact pattern/)).toBeVisible();

  // Reorder with the keyboard only: focus stays on the moved rule's button.
  await page.getByRole("button", { name: "Move rule 3 up" }).focus();
  await page.keyboard.press("Enter");
  await expect(headers).toHaveText(["x-spam-flag", "x-mailer", "x-bogosity"]);
  await expect(page.getByRole("button", { name: "Move rule 2 up" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(headers).toHaveText(["x-mailer", "x-spam-flag", "x-bogosity"]);
  await expect(page.getByRole("button", { name: "Move rule 1 up" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Move rule 1 down" })).toBeFocused();
  await page.keyboard.press("Space");
  await expect(headers).toHaveText(["x-spam-flag", "x-mailer", "x-bogosity"]);

  // Inline edit of one rule: its tag, untouched, keeps its case.
  await page.getByRole("button", { name: "Edit rule 1" }).click();
  const edit = page.getByRole("form", { name: "Edit rule 1" });
  await edit.getByLabel("Action").selectOption({ label: "Discard" });
  await edit.getByRole("button", { name: "Save rule" }).click();
  await expect(page.getByText("Rule 1 saved.")).toBeVisible();
  await expect(page.locator("tr[data-rule='1'] td:nth-child(4)")).toHaveText("Discard");

  // Delete behind a confirmation.
  await page.getByRole("button", { name: "Delete rule 2" }).click();
  await page.getByRole("button", { name: "Confirm delete" }).click();
  await expect(headers).toHaveText(["x-spam-flag", "x-bogosity"]);

  const stored = await listHeaderMatches(client(), listId);
  expect(stored.map((m) => [m.header, m.pattern, m.action ?? null, m.tag ?? null])).toEqual([
    ["x-spam-flag", "^yes", "discard", "SpamAssassin"],
    ["x-bogosity", "Spam", "discard", null],
  ]);
});

test("a plain member cannot open a list's header filters", async ({ page }) => {
  await signIn(page, people.member);
  const response = await page.goto(`/lists/${seeded.targetId}/${seeded.listId("owned")}/header-filters`);
  expect(response?.status()).toBe(403);
});
