import type { Page } from "@playwright/test";
import { expect, people, seeded, signIn, test } from "./fixtures";

/** Runs in the "phone" project (360 px wide, playwright.config.ts). */

const listPath = (name: string) => `/lists/${seeded.targetId}/${seeded.listId(name)}`;

/** The page itself never scrolls sideways: wide content scrolls inside its own card. */
async function expectFitsWidth(page: Page, path: string) {
  await page.goto(path);
  await page.waitForLoadState("networkidle");
  const { scrollWidth, innerWidth, overflowing } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    // Elements reaching past the right edge that no scrolling card contains.
    overflowing: [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest(".overflow-x-auto") && getComputedStyle(el).position !== "fixed")
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)}: ${el.textContent?.slice(0, 40)}`),
  }));
  expect(overflowing, path).toEqual([]);
  expect(scrollWidth, path).toBeLessThanOrEqual(innerWidth);
}

test("the navigation collapses behind a menu button and opens on demand", async ({ page }) => {
  await signIn(page, people.admin);
  await page.goto("/lists");
  const nav = page.getByRole("navigation", { name: "Main" });
  const menu = nav.getByRole("button", { name: "Menu" });
  await expect(menu).toBeVisible();
  await expect(nav.getByRole("link", { name: "Mailman servers" })).toBeHidden();
  await menu.click();
  await expect(nav.getByTestId("signed-in-as")).toBeVisible();
  await nav.getByRole("link", { name: "Mailman servers" }).click();
  await expect(page).toHaveURL(/\/admin\/targets$/);
  // A navigation closes the menu again.
  await expect(nav.getByRole("button", { name: "Menu" })).toHaveAttribute("aria-expanded", "false");
  await expect(nav.getByRole("link", { name: "Find a person" })).toBeHidden();
});

test("a member's pages fit a 360 px screen", async ({ page }) => {
  await signIn(page, people.member);
  for (const path of ["/lists", listPath("owned"), listPath("other")]) await expectFitsWidth(page, path);
});

test("an owner's list pages fit a 360 px screen; the roster scrolls inside its card", async ({ page }) => {
  await signIn(page, people.owner);
  for (const section of ["", "/members", "/held", "/requests", "/settings", "/bans", "/templates"]) await expectFitsWidth(page, `${listPath("owned")}${section}`);
  await page.goto(`${listPath("owned")}/members`);
  const roster = page.locator(".overflow-x-auto").filter({ has: page.locator("table") }).first();
  const box = await roster.boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(360);
  await expect(roster.getByText(people.member.email)).toBeAttached();
});

test("a superuser's administration pages fit a 360 px screen", async ({ page }) => {
  await signIn(page, people.admin);
  for (const path of ["/admin/targets", `/admin/targets/${seeded.targetId}`, `/admin/targets/${seeded.targetId}/domains`, "/admin/people", "/lists/new"]) {
    await expectFitsWidth(page, path);
  }
});
