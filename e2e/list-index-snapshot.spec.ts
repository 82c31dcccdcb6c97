import { expect, people, seeded, signIn, test } from "./fixtures";

test("the list index answers from its copy of the server's lists and says how old it is", async ({ page }) => {
  await signIn(page, people.admin);
  await page.goto(`/lists?q=${seeded.domain}`);
  await expect(page.getByTestId("list-index-age")).toContainText("as of");
  await expect(page.getByTestId("list-index-age").locator("time")).toHaveAttribute("datetime", /^\d{4}-\d\d-\d\dT/);
  const rows = page.getByRole("row").filter({ hasText: seeded.targetName });
  for (const name of ["owned", "other", "hidden"]) await expect(rows.filter({ hasText: `${name}@${seeded.domain}` })).toHaveCount(1);
  // Searched in the database: a plain substring, case-insensitive.
  await page.goto(`/lists?q=${encodeURIComponent(`OWNED@${seeded.domain.toUpperCase()}`)}`);
  await expect(page.getByRole("row").filter({ hasText: seeded.targetName })).toHaveCount(1);
});
