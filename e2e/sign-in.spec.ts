import { expect, people, signIn, test } from "./fixtures";

test("a wrong password is refused with a plain message, the right one signs in", async ({ page }) => {
  await page.goto("/lists");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill(people.member.email);
  await page.getByLabel("Password").fill("definitely-not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong email or password.")).toBeVisible();
  // The typed address is kept after the failure.
  await expect(page.getByLabel("Email")).toHaveValue(people.member.email);

  await page.getByLabel("Password").fill(people.member.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/lists/);
  await expect(page.getByTestId("signed-in-as")).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/lists");
  await expect(page).toHaveURL(/\/login/);
});

test("a superuser signs in and sees the servers link", async ({ page }) => {
  await signIn(page, people.admin);
  await expect(page.getByRole("link", { name: "Mailman servers" })).toBeVisible();
});
