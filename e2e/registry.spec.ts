import { expect, people, seeded, signIn, test, uniqueName } from "./fixtures";

/**
 * Issue 10: a superuser builds a group from pasted addresses, binds a new email list to it,
 * reads the dry-run plan before anything reaches Mailman, applies it, watches the run finish on
 * the page and finds the people on the list's roster; then suspending the group shows the plan
 * to remove them, with the reason, before it is applied.
 */
test("registry: group from pasted addresses, a bound list planned then provisioned, the group's suspension planned", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, people.admin);
  await page.getByRole("link", { name: "Registry", exact: true }).click();
  const tabs = page.getByRole("navigation", { name: "Registry" });
  await tabs.getByRole("link", { name: "Groups" }).click();
  await expect(page.getByText(/No groups yet|Name/).first()).toBeVisible();

  const group = uniqueName("G-e2e-");
  await page.getByLabel("Name", { exact: true }).fill(group);
  await page.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByRole("heading", { level: 1, name: group })).toBeVisible();

  const tag = uniqueName("r");
  const addresses = [`ada.${tag}@people.example`, `bob.${tag}@people.example`, `cy.${tag}@people.example`];
  await page.getByLabel("Addresses", { exact: true }).fill([`Ada Lovelace <${addresses[0]}>`, addresses[1], `  ${addresses[2]}  `].join("\n"));
  await page.getByRole("button", { name: "Add members" }).click();
  await expect(page.getByText("3 added, 3 new people created.")).toBeVisible();
  await expect(page.getByTestId("group-members").getByRole("row")).toHaveCount(3);
  await expect(page.getByTestId("group-members")).toContainText("Ada Lovelace");
  // The person's page marks the preferred address and says why (the reconciler's own rule).
  await page.getByRole("link", { name: "Ada Lovelace" }).click();
  await expect(page.getByTestId("person-addresses").getByRole("listitem").filter({ hasText: addresses[0]! })).toContainText("preferred");
  await expect(page.getByTestId("preferred-why").first()).toContainText(`${addresses[0]}, because type 'official' ranks first`);

  // A new list bound to the group: the plan first, nothing saved yet.
  await tabs.getByRole("link", { name: "Email lists" }).click();
  const listName = uniqueName("reg-");
  await page.getByLabel("Server").selectOption({ label: seeded.targetName });
  await page.getByLabel("Name", { exact: true }).fill(listName);
  await page.getByLabel("Members group").selectOption({ label: group });
  await page.getByRole("button", { name: "Show plan" }).click();
  const plan = page.getByTestId("plan-view");
  await expect(plan.getByText("3 to add")).toBeVisible();
  await expect(plan.getByText("3 users to create")).toBeVisible();
  await expect(plan.getByTestId("plan-lists")).toContainText(`create Mailman list ${listName}@${seeded.domain}`);
  for (const address of addresses) {
    await expect(plan.getByTestId("plan-add").getByRole("row").filter({ hasText: address })).toContainText(`in ${group}`);
  }
  await expect(page.getByRole("link", { name: listName })).toHaveCount(0);

  await page.getByRole("button", { name: "Create list" }).click();
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "succeeded", { timeout: 90_000 });
  await page.getByRole("link", { name: "Open the new list" }).click();
  await expect(page.getByRole("heading", { level: 1, name: listName })).toBeVisible();
  await page.getByTestId("roster-link").click();
  await expect(page).toHaveURL(new RegExp(`/lists/${seeded.targetId}/${seeded.listId(listName)}/members`));
  for (const address of addresses) await expect(page.getByRole("table").getByText(address)).toBeVisible();

  // Suspending the group: the plan removes them, saying why, before anything changes.
  await page.goto("/admin/registry/groups");
  await page.getByRole("link", { name: group }).click();
  await expect(page.getByRole("heading", { name: "Bound to 1 email list" })).toBeVisible();
  await page.getByRole("button", { name: "Suspend group: show plan" }).click();
  const removal = page.getByTestId("plan-view");
  await expect(removal.getByText("3 to remove")).toBeVisible();
  for (const address of addresses) {
    await expect(removal.getByTestId("plan-remove").getByRole("row").filter({ hasText: address })).toContainText(`${group} is suspended`);
  }
  await page.getByRole("button", { name: "Suspend group", exact: true }).click();
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "succeeded", { timeout: 90_000 });
  await page.goto(`/lists/${seeded.targetId}/${seeded.listId(listName)}/members`);
  for (const address of addresses) await expect(page.getByText(address)).toHaveCount(0);

  // Deleting the list removes Mailman data: the plan says so and the name must be typed.
  await page.goto("/admin/registry/email-lists");
  await page.getByRole("link", { name: listName }).click();
  await page.getByRole("button", { name: "Delete list: show plan" }).click();
  await expect(page.getByTestId("plan-lists")).toContainText(`delete Mailman list ${seeded.listId(listName)}`);
  const remove = page.getByRole("button", { name: "Delete list", exact: true });
  await expect(remove).toBeDisabled();
  await page.getByLabel(`Type ${listName} to confirm`).fill(listName);
  await remove.click();
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "succeeded", { timeout: 90_000 });
  await page.getByRole("link", { name: "Back to the email lists" }).click();
  await expect(page.getByRole("link", { name: listName })).toHaveCount(0);
});

test("a superuser reads the plan of a provisioning policy change on the server's page before saving it", async ({ page }) => {
  await signIn(page, people.admin);
  await page.goto(`/admin/targets/${seeded.targetId}`);
  await page.getByText("Provisioning policies").click();
  await page.getByLabel("Unmanaged subscribers").selectOption("ignore");
  await page.getByRole("button", { name: "Show what these policies would change" }).click();
  // The reconcile the save would queue, planned on the form's values; nothing is saved meanwhile.
  await expect(page.getByRole("list", { name: "Plan counts" })).toBeVisible({ timeout: 30_000 });
  await page.reload();
  await page.getByText("Provisioning policies").click();
  await expect(page.getByLabel("Unmanaged subscribers")).toHaveValue("remove");
});
