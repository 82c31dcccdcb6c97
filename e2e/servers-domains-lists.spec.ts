import { MailmanClient } from "../lib/mailman";
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
  // The policies say they wait for provisioning, and what "remove" will do, next to the choice.
  await page.getByText("Provisioning policies").click();
  await expect(page.getByTestId("policies-scope")).toContainText("Lists managed by hand are never touched by them");
  await expect(page.getByLabel("Unmanaged subscribers")).toHaveValue("remove");
  await expect(page.getByText(/Remove them: when provisioning runs, .* is unsubscribed from that list/)).toBeVisible();
  await page.getByLabel("Unmanaged subscribers").selectOption("ignore");
  await expect(page.getByText(/Leave them alone: people Listkeeper did not add stay/)).toBeVisible();
  await page.getByLabel("Unmanaged subscribers").selectOption("remove");
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
  await expect(page.getByRole("link", { name: serverName, exact: true })).toBeVisible();

  // Domains: the server's own domain was created in the core on save; add another, refuse garbage.
  await page.goto(`/admin/targets/${targetId}/domains`);
  const domainRow = (host: string) => page.locator(`tr[data-mail-host="${host}"]`);
  await expect(domainRow(serverDomain)).toHaveCount(1);
  await page.getByLabel("Mail host").fill("bad domain");
  await page.getByRole("button", { name: "Create domain" }).click();
  await expect(page.getByText(/cannot contain spaces/)).toBeVisible();
  const extraDomain = `${uniqueName("extra")}.e2e.test`;
  await page.getByLabel("Mail host").fill(extraDomain);
  await page.getByRole("button", { name: "Create domain" }).click();
  await expect(domainRow(extraDomain)).toHaveCount(1);

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
  await expect(page.getByTestId("list-notice")).toContainText(`${listName}@${extraDomain} is ready`);

  // Find it in the index by searching.
  await page.goto("/lists");
  await page.getByLabel("Search lists").fill(listName);
  await page.getByRole("button", { name: "Search" }).click();
  // The seeded server points at the same core, so the list shows under both: take ours.
  const ourRow = page.getByRole("row").filter({ hasText: serverName }).filter({ hasText: `${listName}@${extraDomain}` });
  await expect(ourRow).toHaveCount(1);
  await ourRow.getByRole("link").first().click();

  // Delete it behind a typed confirmation.
  await page.getByRole("button", { name: "Delete list" }).click();
  const dialog = page.getByRole("dialog");
  const confirmButton = dialog.getByRole("button", { name: "Delete list" });
  await expect(confirmButton).toBeDisabled();
  await dialog.getByLabel(/Type .* to confirm/).fill(`${listName}@${extraDomain}`);
  await confirmButton.click();
  await expect(page).toHaveURL(/\/lists(\?.*)?$/);
  await expect(page.getByTestId("list-notice")).toHaveText(`The list ${listName}@${extraDomain} was deleted from its Mailman server.`);
  await page.goto(`/lists?q=${listName}`);
  await expect(page.getByText(`${listName}@${extraDomain}`)).toHaveCount(0);

  // Delete the extra domain: the dialog says how many lists go with it.
  const rest = new MailmanClient({ baseUrl: core.restUrl, user: core.user, password: core.password });
  await rest.createList({ fqdnListname: `kept@${extraDomain}`, styleName: "legacy-default" });
  await page.goto(`/admin/targets/${targetId}/domains`);
  await domainRow(extraDomain).getByRole("button", { name: "Delete domain" }).click();
  await expect(page.getByRole("dialog")).toContainText(/\b1 list\b/);
  await expect(page.getByRole("dialog")).toContainText(`kept@${extraDomain}`);
  await page.getByRole("dialog").getByLabel(/Type .* to confirm/).fill(extraDomain);
  await page.getByRole("dialog").getByRole("button", { name: "Delete domain" }).click();
  await expect(domainRow(extraDomain)).toHaveCount(0);
  expect(await rest.getList(`kept.${extraDomain}`)).toBeNull();
});
