import { MailmanClient } from "../lib/mailman";
import { core, expect, people, seeded, signIn, test, uniqueName } from "./fixtures";

test("the summary renders the owner's Markdown but never the HTML in it", async ({ page }) => {
  const rest = new MailmanClient({ baseUrl: core.restUrl, user: core.user, password: core.password });
  const name = uniqueName("summary-");
  const listId = await rest.createList({ fqdnListname: `${name}@${seeded.domain}`, styleName: "legacy-default" });
  await rest.patchListConfig(listId, {
    info: "Read **the rules** first.\n\n<script>window.__pwned = 1</script>\n<img src=x onerror=\"window.__pwned = 2\">\n\n[bad](javascript:alert(1)) and [good](https://example.org/)",
  });

  await signIn(page, people.member);
  await page.goto(`/lists/${seeded.targetId}/${listId}`);
  const info = page.getByTestId("list-info");
  await expect(info.locator("strong")).toHaveText("the rules");
  await expect(info.locator("script, img")).toHaveCount(0);
  await expect(info.getByRole("link", { name: "good" })).toHaveAttribute("href", "https://example.org/");
  await expect(info.getByRole("link", { name: "bad" })).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(page.getByText(`${name}-owner@${seeded.domain}`)).toBeVisible();
  // A member sees no administration tabs.
  await expect(page.getByRole("navigation", { name: "List sections" }).getByRole("link", { name: "Settings" })).toHaveCount(0);
  await rest.deleteList(listId);
});
