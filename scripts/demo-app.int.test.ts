import { rmSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import { afterAll, describe, expect, it } from "vitest";
import { CHROMIUM } from "./lib/chromium";
import { buildDemoApp, startDemoApp, stopDemoApp } from "./lib/demo-app";
import { dataDir, ensureLocalSecrets, randomPassword, repoRoot } from "./lib/local-secrets";
import { freePort, run, waitForHttp } from "./lib/run";

/**
 * `npm run demo` must not print what people type: the app is started as the demo starts it, a
 * user signs in through the browser, and the server's whole output is searched for the password.
 * Needs a production build (`next build`, which this test runs unless SKIP_BUILD=1 finds one).
 */

const pgliteDir = path.join(dataDir, `demo-log-test-${process.pid}`);
let app: ReturnType<typeof startDemoApp> | undefined;

afterAll(() => {
  if (app) stopDemoApp(app);
  rmSync(pgliteDir, { recursive: true, force: true });
});

describe("the demo's app", () => {
  it("never prints a signed-in user's password", { timeout: 900_000 }, async () => {
    const secrets = ensureLocalSecrets();
    const env: NodeJS.ProcessEnv = { ...process.env, ...secrets, PGLITE_DIR: pgliteDir, LOG_LEVEL: "info" };
    // The demo's own database, as `npm run demo` has it (PGlite): the suite's shared PostgreSQL
    // database has had hundreds of sign-ins from this machine, which its rate limit counts.
    delete env.DATABASE_URL;
    const email = `demo-log-${Date.now().toString(36)}@people.example.test`;
    const password = `Pw-${randomPassword()}`;
    await run("npx", ["tsx", "scripts/user-create.ts", "--email", email, "--password", password, "--name", "Log Test"], { cwd: repoRoot, env, stdio: "ignore" });
    await buildDemoApp({ ...env, SKIP_BUILD: process.env.SKIP_BUILD ?? "1" }, "ignore");

    const port = await freePort();
    let output = "";
    app = startDemoApp({ port, env, stdio: ["ignore", "pipe", "pipe"] });
    app.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    app.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const origin = `http://localhost:${port}`;
    await waitForHttp(`${origin}/login`, 120_000);

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] });
    try {
      const page = await browser.newPage({ baseURL: origin });
      // A wrong password first (it goes through the same action), then the right one.
      await page.goto("/login");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(`${password}-wrong`);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("alert").first().waitFor();
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByTestId("signed-in-as").waitFor({ timeout: 30_000 });
      await page.goto("/");
    } finally {
      await browser.close();
    }
    // Give the server a moment to flush what it logs about the requests.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(output).toMatch(/Ready|started|localhost/i);
    expect(output).not.toContain(password);
  });
});
