import { core, expect, people, signIn, test, uniqueName } from "./fixtures";

test.describe.configure({ mode: "serial" });

test("a superuser registers a server, adds a domain, creates, finds and deletes a list", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, people.admin);
  const serverName = uniqueName("Core ");
  const serverDomain = `${uniqueName("srv")}.e2e.test`;

  // A wrong password is refused with a plain message and nothing is saved.
  await page.goto("/admin/targets/new");
  await page.getByLabel("Name").fill(serverName);
  await page.getByLabel("REST URL").fill(core.restUrl);
  await page.getByLabel("Admin user").fill(core.user);
  await page.getByLabel("Admin password").fill("wrong-password");
  await page.getByLabel("List domain").fill(serverDomain);
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByText(/credentials/i).first()).toBeVisible();
  await page.getByRole("button", { name: "Add server" }).click();
  await expect(page.getByText(/Not saved: .*credentials/i)).toBeVisible();
  await expect(page).toHaveURL(/\/admin\/targets\/new/);

  // The right password: the connection test names the core, saving leads to the server's page.
  await page.getByLabel("Admin password").fill(core.password);
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByText(/GNU Mailman 3\.3/)).toBeVisible();
  await page.getByRole("button", { name: "Add server" }).click();
  await expect(page).toHaveURL(/\/admin\/targets\/\d+$/);
  const targetId = page.url().match(/targets\/(\d+)/)![1];
  // The stored password never comes back to the browser.
  expect(await page.content()).not.toContain(core.password);
  await expect(page.getByLabel("Admin password")).toHaveValue("");

  await page.goto("/admin/targets");
  await expect(page.getByRole("link", { name: serverName })).toBeVisible();

  // Domains: the server's own domain was created in the core on save; add another, refuse garbage.
  await page.goto(`/admin/targets/${targetId}/domains`);
  await expect(page.getByRole("cell", { name: serverDomain, exact: true })).toBeVisible();
  await page.getByLabel("Mail host").fill("bad domain");
  await page.getByRole("button", { name: "Create domain" }).click();
  await expect(page.getByText(/cannot contain spaces/)).toBeVisible();
  const extraDomain = `${uniqueName("extra")}.e2e.test`;
  await page.getByLabel("Mail host").fill(extraDomain);
  await page.getByRole("button", { name: "Create domain" }).click();
  await expect(page.getByRole("cell", { name: extraDomain, exact: true })).toBeVisible();

  // Create a list on the new domain.
  const listName = uniqueName("e2e-");
  await page.goto("/lists/new");
  await page.getByLabel("Server").selectOption({ label: serverName });
  await page.getByLabel("Domain").selectOption(extraDomain);
  await page.getByLabel("List name").fill("bad name!");
  await expect(page.getByText(/does not allow/)).toBeVisible();
  await page.getByLabel("List name").fill(listName);
  await page.getByLabel("Description").fill("Created by the browser test");
  await page.getByRole("button", { name: "Create list" }).click();
  await expect(page).toHaveURL(new RegExp(`/lists/${targetId}/`));
  await expect(page.getByTestId("posting-address")).toHaveText(`${listName}@${extraDomain}`);

  // Find it in the index by searching.
  await page.goto("/lists");
  await page.getByLabel("Search lists").fill(listName);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText(`${listName}@${extraDomain}`)).toBeVisible();
  await page.getByText(`${listName}@${extraDomain}`).click();

  // Delete it behind a typed confirmation.
  await page.getByRole("button", { name: "Delete list" }).click();
  const dialog = page.getByRole("dialog");
  const confirmButton = dialog.getByRole("button", { name: "Delete list" });
  await expect(confirmButton).toBeDisabled();
  await dialog.getByLabel(/Type .* to confirm/).fill(`${listName}@${extraDomain}`);
  await confirmButton.click();
  await expect(page).toHaveURL(/\/lists(\?.*)?$/);
  await page.goto(`/lists?q=${listName}`);
  await expect(page.getByText(`${listName}@${extraDomain}`)).toHaveCount(0);

  // Delete the extra domain: the dialog says how many lists go with it.
  await page.goto(`/admin/targets/${targetId}/domains`);
  const row = page.getByRole("row").filter({ hasText: extraDomain });
  await row.getByRole("button", { name: "Delete domain" }).click();
  await expect(page.getByRole("dialog")).toContainText(/0 lists/);
  await page.getByRole("dialog").getByLabel(/Type .* to confirm/).fill(extraDomain);
  await page.getByRole("dialog").getByRole("button", { name: "Delete domain" }).click();
  await expect(page.getByRole("cell", { name: extraDomain, exact: true })).toHaveCount(0);
});
