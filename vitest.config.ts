import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.dirname(new URL(import.meta.url).pathname);

const shared = {
  resolve: {
    alias: {
      "@": root,
      // server-only throws outside React Server Components; tests run lib code directly.
      "server-only": path.join(root, "node_modules/server-only/empty.js"),
    },
  },
};

// A fixed key for tests only; real deployments and the demo generate their own (README).
const testEnv = {
  LISTKEEPER_SECRET_KEY: "dGVzdC1vbmx5IGtleTogbmV2ZXIgdXNlIGl0ISEhISE=",
  LOG_LEVEL: "warn",
};

export default defineConfig({
  ...shared,
  test: {
    projects: [
      {
        ...shared,
        test: {
          name: "unit",
          environment: "node",
          include: ["{lib,db,app,components,scripts}/**/*.test.{ts,tsx}"],
          exclude: ["**/*.int.test.{ts,tsx}", "node_modules/**"],
          env: { ...testEnv, PGLITE_DIR: "memory" },
          // The first database test in a worker pays for PGlite start-up and the migrations,
          // which take over 20 s when the machine's two cores are shared with other test runs.
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        ...shared,
        test: {
          name: "integration",
          environment: "node",
          include: ["{lib,db,app,scripts,tests}/**/*.int.test.{ts,tsx}"],
          exclude: ["node_modules/**"],
          globalSetup: ["tests/support/global-setup.ts"],
          setupFiles: ["tests/support/worker-database.ts"],
          // Most of an integration test's time is spent waiting for the core or the database, so
          // files run two at a time even on two cores (each worker has its own database).
          maxWorkers: Number(process.env.INTEGRATION_WORKERS ?? 2),
          env: { ...testEnv, PGLITE_DIR: process.env.DATABASE_URL ? ".data/unused" : "memory" },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
