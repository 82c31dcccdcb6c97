import { test as base, expect, type Page } from "@playwright/test";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the browser tests through "npm run test:e2e".`);
  return value;
}

export const people = {
  admin: { email: required("E2E_ADMIN_EMAIL"), password: required("E2E_ADMIN_PASSWORD") },
  owner: { email: required("E2E_OWNER_EMAIL"), password: required("E2E_OWNER_PASSWORD") },
  member: { email: required("E2E_MEMBER_EMAIL"), password: required("E2E_MEMBER_PASSWORD") },
  /** Moderator of "owned", nothing more. */
  moderator: { email: required("E2E_MODERATOR_EMAIL"), password: required("E2E_MODERATOR_PASSWORD") },
  /** Owner of "owned-b" only. */
  ownerB: { email: required("E2E_OWNER_B_EMAIL"), password: required("E2E_OWNER_B_PASSWORD") },
};

export const seeded = {
  targetId: Number(required("E2E_TARGET_ID")),
  targetName: required("E2E_TARGET_NAME"),
  domain: required("E2E_DOMAIN"),
  listId: (name: string) => `${name}.${required("E2E_DOMAIN")}`,
};

export const core = {
  restUrl: required("MAILMAN_TEST_URL"),
  user: required("MAILMAN_TEST_USER"),
  password: required("MAILMAN_TEST_PASSWORD"),
};

export async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Attached, not visible: on a phone the account controls sit behind the menu button.
  // A fresh server signing several personas in at once (argon2 each) can take a while.
  await expect(page.getByTestId("signed-in-as")).toBeAttached({ timeout: 30_000 });
}

export function uniqueName(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
}

export const test = base;
export { expect };
