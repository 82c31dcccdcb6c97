import { expect, people, signIn, test, uniqueName } from "./fixtures";

/**
 * A superuser creates a SCIM connector on /admin/scim, sees its token once, and an identity
 * provider uses it: a User pushed to /scim/v2/Users appears in the registry (counted on the
 * connector), the address types can be edited, and a revoked connector's token gets a SCIM 401.
 */
test("a superuser creates a SCIM connector, a provider pushes a user with its token, and revoking it refuses the token", async ({ page, request }) => {
  await signIn(page, people.admin);
  await page.getByRole("link", { name: "SCIM", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/scim$/);
  const name = uniqueName("entra-");
  await page.getByLabel("Connector name").fill(name);
  await page.getByRole("button", { name: "Create connector" }).click();
  const token = (await page.getByTestId("new-scim-token").textContent())!.trim();
  expect(token).toMatch(/^lks_/);

  const auth = { authorization: `Bearer ${token}` };
  const userName = `${name}@idp.example`;
  const created = await request.post("/scim/v2/Users", {
    headers: { ...auth, "content-type": "application/scim+json" },
    data: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName, displayName: "Pushed Person", active: true, emails: [{ value: userName, type: "work", primary: true }] },
  });
  expect(created.status()).toBe(201);
  expect(created.headers()["content-type"]).toContain("application/scim+json");
  expect(await created.json()).toMatchObject({ userName, active: true, emails: [{ value: userName, primary: true }] });
  const found = await request.get(`/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`, { headers: auth });
  expect(await found.json()).toMatchObject({ totalResults: 1, Resources: [{ userName }] });

  // The page counts what the connector fed, and its address types can be changed.
  await page.reload();
  const card = page.getByRole("listitem", { name });
  await expect(card).toContainText("1 people, 0 groups");
  const mapping = card.getByRole("form", { name: `Address types of ${name}` });
  await mapping.getByRole("button", { name: "Add a type" }).click();
  await mapping.getByLabel("SCIM type", { exact: true }).last().fill("mobile");
  await mapping.getByLabel("Address type", { exact: true }).last().selectOption("recovery");
  await mapping.getByRole("button", { name: "Save address types" }).click();
  await expect(mapping.getByRole("status")).toContainText("Saved");
  await page.reload();
  await expect(page.getByRole("listitem", { name }).getByLabel("SCIM type", { exact: true }).last()).toHaveValue("mobile");

  // Revoking asks for the connector's name, then the token gets a SCIM 401.
  await page.getByRole("listitem", { name }).getByRole("button", { name: "Revoke" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel(/Type .* to confirm/).fill(name);
  await dialog.getByRole("button", { name: "Revoke connector" }).click();
  await expect(page.getByRole("listitem", { name })).toContainText("Revoked");
  const refused = await request.get("/scim/v2/Users", { headers: auth });
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401" });
});
