import { defineConfig, devices } from "@playwright/test";

/**
 * Run through `npm run test:e2e` (scripts/e2e.ts), which starts the Mailman core, seeds the
 * database, starts the production server and sets E2E_BASE_URL.
 */
export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // The JSON report feeds the test count that `npm test` prints last.
  reporter: [["list"], ["json", { outputFile: ".data/reports/e2e.json" }], ...(process.env.CI ? [] : ([["html", { open: "never" }]] as const))],
  use: {
    baseURL: process.env.E2E_BASE_URL ?? "http://localhost:3000",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    browserName: "chromium",
    launchOptions: {
      // Debian's Chromium: Playwright cannot download its own browser on these machines.
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [
    { name: "desktop", testIgnore: /\.(phone|exclusive)\.spec\.ts$/ },
    // Members use phones: the main pages at the narrowest common width (e2e/*.phone.spec.ts).
    {
      name: "phone",
      testMatch: /\.phone\.spec\.ts$/,
      use: { viewport: { width: 360, height: 740 }, deviceScaleFactor: devices["Pixel 5"].deviceScaleFactor, isMobile: true, hasTouch: true },
    },
    // Specs that compare the database before and after a call (the server actions' matrix and
    // fuzzing): after every other spec, one at a time, so that no other spec's writes show up.
    // Alone: `npm run test:e2e -- e2e/x.exclusive.spec.ts --project exclusive --no-deps`.
    { name: "exclusive", testMatch: /\.exclusive\.spec\.ts$/, dependencies: ["desktop", "phone"], workers: 1 },
  ],
});
