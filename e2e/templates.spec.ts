import { MailmanClient } from "../lib/mailman";
import { getTemplateUri } from "../lib/mailman/templates";
import { core, expect, people, seeded, signIn, test, uniqueName } from "./fixtures";

const FOOTER = "list:member:regular:footer";

// Dates are shown in the viewer's zone, with the zone named.
test.use({ timezoneId: "Europe/Berlin" });

test("an admin edits, previews, publishes and resets a list template; the endpoint refuses strangers", async ({ page, request }) => {
  test.setTimeout(120_000);
  const client = new MailmanClient({ baseUrl: core.restUrl, user: core.user, password: core.password });
  const name = uniqueName("tpl-");
  const listId = await client.createList({ fqdnListname: `${name}@${seeded.domain}` });
  const level = { scope: "list" as const, listId };
  try {
    await signIn(page, people.admin);
    await page.goto(`/lists/${seeded.targetId}/${listId}/templates`);
    await expect(page.getByRole("link", { name: "Templates", exact: true })).toHaveAttribute("aria-current", "page");
    // The address the core fetches from is shown, and all list templates are offered.
    await expect(page.getByText("How the core gets these texts")).toBeVisible();
    await expect(page.locator("li[data-template]")).toHaveCount(27);

    await page.getByRole("link", { name: "Footer of posts" }).click();
    await expect(page).toHaveURL(/[?&]name=list%3Amember%3Aregular%3Afooter/);
    const text = page.getByLabel("Text", { exact: true });
    // It starts from the core's built-in footer.
    await expect(text).toHaveValue(/\$display_name mailing list -- \$listname/);

    // Edit and save.
    await text.fill("-- \nCustom footer of $display_name <b>not html</b>\nWrite to $listname, ask $owner_email about $member");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByText("Saved. Publish to make the core use this text.")).toBeVisible();
    await expect(page.getByTestId("template-revision")).toHaveCount(1);
    // Said once, not also under the field; the history's date in the one format, this zone shown.
    await expect(page.getByText(/^Saved\./)).toHaveCount(1);
    await expect(page.getByTestId("template-revision").locator("time")).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} CES?T$/);

    // Preview: this list's values, per-message variables left as written, plain text only.
    await page.getByRole("button", { name: "Preview" }).click();
    const preview = page.getByTestId("template-preview");
    await expect(preview).toContainText(`Write to ${name}@${seeded.domain}, ask ${name}-owner@${seeded.domain} about $member`);
    await expect(preview).toContainText("<b>not html</b>");
    await expect(preview.locator("b")).toHaveCount(0);

    // Publish: the core is pointed at Listkeeper's endpoint.
    await page.getByRole("button", { name: "Publish" }).click();
    await expect(page.getByText(/Published: the core now fetches this text|Listkeeper (could not fetch|fetched)/)).toBeVisible();
    await expect(page.locator(`li[data-template="${FOOTER}"]`).getByText("Published", { exact: true })).toBeVisible();
    const uri = await getTemplateUri(client, level, FOOTER);
    expect(uri).toMatch(new RegExp(`/api/templates/${seeded.targetId}/list/${listId.replace(/\./g, "\\.")}/list%3Amember%3Aregular%3Afooter$`));

    // The endpoint answers only the core: no credentials, wrong ones or a browser session get 401 and no text.
    const attempts: Record<string, string>[] = [{}, { authorization: `Basic ${Buffer.from(`listkeeper-${seeded.targetId}:guess`).toString("base64")}` }];
    for (const headers of attempts) {
      const response = await request.get(uri!, { headers, maxRedirects: 0 });
      expect(response.status()).toBe(401);
      expect(response.headers()["www-authenticate"]).toMatch(/^Basic /);
      expect(await response.text()).toBe("");
    }
    const signedIn = await page.request.get(uri!, { maxRedirects: 0 });
    expect(signedIn.status()).toBe(401);
    expect(await signedIn.text()).not.toContain("Custom footer");

    // Reset to default, behind a confirmation: the URI is gone, the saved text stays.
    await page.getByRole("button", { name: "Reset to default" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel(/to confirm/).fill("reset");
    await dialog.getByRole("button", { name: "Reset to default" }).click();
    await expect(page.getByText("Reset: the core uses its default text again.")).toBeVisible();
    await expect.poll(() => getTemplateUri(client, level, FOOTER)).toBeNull();
    await expect(page.locator(`li[data-template="${FOOTER}"]`).getByText("Saved, not published")).toBeVisible();
    await expect(text).toHaveValue(/Custom footer of \$display_name/);
  } finally {
    // Deleting the list removes its URIs too, so no unreachable URI outlives the test (Q-5).
    await client.deleteList(listId).catch(() => {});
  }
});

test("list owners cannot reach domain and site templates", async ({ page }) => {
  await signIn(page, people.owner);
  const response = await page.goto(`/admin/targets/${seeded.targetId}/templates`);
  expect(response?.status()).toBe(403);
});
