import type { APIResponse, Page } from "@playwright/test";
import { expect, people, seeded, signIn, test } from "./fixtures";

/** Collects every CSP violation the page reports, from the first script on. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect|frame)/i.test(message.text())) console.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.effectiveDirective} ${event.blockedURI}`));
  });
  return async () => [...console, ...(await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []))];
}

function expectSecurityHeaders(response: APIResponse | null, what: string) {
  const headers = response!.headers();
  const policy = headers["content-security-policy"] ?? "";
  expect(policy, what).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(policy, what).not.toContain("unsafe-eval");
  expect(policy, what).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"], what).toMatch(/^nosniff/);
  expect(headers["referrer-policy"], what).toBe("same-origin");
  expect(headers["x-frame-options"], what).toBe("DENY");
}

test("every page of an owner's and a superuser's day loads and hydrates with no CSP violation", async ({ page }) => {
  test.setTimeout(240_000);
  const violations = await watchCsp(page);
  // Signing in through the form needs the client bundle: react-hook-form handles the submit.
  await signIn(page, people.admin);
  const list = `/lists/${seeded.targetId}/${seeded.listId("owned")}`;
  const paths = [
    "/lists",
    list,
    `${list}/members`,
    `${list}/members/subscribe`,
    `${list}/held`,
    `${list}/requests`,
    `${list}/settings`,
    `${list}/bans`,
    `${list}/header-filters`,
    `${list}/templates`,
    "/admin/targets",
    `/admin/targets/${seeded.targetId}`,
    "/account/single-sign-on",
    "/lists/new",
    "/admin/registry",
    "/admin/registry/people",
    "/admin/registry/groups",
    "/admin/registry/email-lists",
  ];
  for (const path of paths) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    expectSecurityHeaders(response as unknown as APIResponse, path);
    // Some pages poll (job progress, queues), so "networkidle" may never come: the load event and
    // a moment for the chunks to run.
    await page.waitForLoadState("load");
    await page.waitForTimeout(500);
    // Next's own scripts carry the nonce; nothing was blocked.
    expect(await page.locator("script[nonce]").count(), path).toBeGreaterThan(0);
    expect(await violations(), path).toEqual([]);
  }
  // A client-side interaction still works under the policy: the settings tabs navigate.
  await page.goto(`${list}/members`);
  await page.getByRole("link", { name: "Settings" }).first().click();
  await expect(page).toHaveURL(/\/settings/);
  expect(await violations()).toEqual([]);
});

test("routes and files get the headers too, with a fresh nonce per response; robots are kept out", async ({ request }) => {
  const first = await request.get("/login");
  const second = await request.get("/login");
  expectSecurityHeaders(first, "/login");
  const nonce = (r: APIResponse) => /'nonce-([^']+)'/.exec(r.headers()["content-security-policy"] ?? "")?.[1];
  expect(nonce(first)).toBeTruthy();
  expect(nonce(first)).not.toBe(nonce(second));

  for (const path of ["/api/auth/csrf", "/favicon.ico", "/favicon.svg", "/robots.txt"]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    expectSecurityHeaders(response, path);
  }
  expect(await (await request.get("/robots.txt")).text()).toMatch(/User-agent: \*\s+Disallow: \/\s*$/);
  expect((await request.get("/favicon.ico")).headers()["content-type"]).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
});

test("X-Forwarded-For counts only from a trusted proxy (TRUSTED_PROXIES=127.0.0.1 here): one network is limited, another is not", async ({ playwright, baseURL }) => {
  // Through the trusted proxy (this machine), the right-most forwarded hop is the client; what a
  // client writes to its left cannot move it. Unknown addresses: no account is slowed down.
  async function attempt(client: string): Promise<string> {
    const context = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": `198.51.100.${Math.floor(Math.random() * 250)}, ${client}` } });
    try {
      const { csrfToken } = (await (await context.get("/api/auth/csrf")).json()) as { csrfToken: string };
      const response = await context.post("/api/auth/callback/credentials", {
        form: { csrfToken, email: `nobody-${Math.random().toString(36).slice(2)}@limit.e2e.test`, password: "wrong password", callbackUrl: "/lists" },
        maxRedirects: 0,
      });
      return response.headers()["location"] ?? "";
    } finally {
      await context.dispose();
    }
  }
  const limited = "203.0.113.77";
  const results: string[] = [];
  // The per-network limit is ten times LOGIN_MAX_ATTEMPTS (10): 100 attempts per window.
  for (let i = 0; i < 100; i += 10) results.push(...(await Promise.all(Array.from({ length: 10 }, () => attempt(limited)))));
  expect(results.filter((l) => /code=rate_limited/.test(l))).toEqual([]);
  expect(await attempt(limited)).toMatch(/code=rate_limited/);
  expect(await attempt("203.0.113.78")).toMatch(/error=CredentialsSignin(?!.*rate_limited)/);
});
