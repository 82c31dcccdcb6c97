/**
 * Helpers for integration tests that talk to the real Mailman core started by global-setup.ts.
 * Every test creates its own uniquely named domains and lists, so test files can run in parallel
 * against one core (and against a long-lived core passed in with MAILMAN_TEST_URL).
 */
import { randomBytes } from "node:crypto";
import pRetry, { AbortError } from "p-retry";
import { inject } from "vitest";
import { MailmanClient, MailmanError, type MailmanConnection } from "@/lib/mailman";

export interface TestCore {
  restUrl: string;
  user: string;
  password: string;
  /** The SMTP sink's Maildir; empty when the core's outgoing mail is not reachable from here. */
  maildir: string;
  /** smtp:// URL of the sink, where Listkeeper's own mail goes too (SMTP_URL); empty when unknown. */
  smtpUrl: string;
}

export function testCore(): TestCore {
  const restUrl = inject("mailmanUrl") ?? process.env.MAILMAN_TEST_URL;
  const user = inject("mailmanUser") ?? process.env.MAILMAN_TEST_USER;
  const password = inject("mailmanPassword") ?? process.env.MAILMAN_TEST_PASSWORD;
  const maildir = inject("mailmanMaildir") ?? process.env.MAILMAN_TEST_MAILDIR ?? "";
  const smtpUrl = inject("mailmanSmtpUrl") ?? process.env.MAILMAN_TEST_SMTP_URL ?? "";
  if (!restUrl || !user || !password) {
    throw new Error("No Mailman core for this test: run it in the vitest \"integration\" project (tests/support/global-setup.ts).");
  }
  return { restUrl, user, password, maildir, smtpUrl };
}

export function testConnection(overrides: Partial<MailmanConnection> = {}): MailmanConnection {
  const core = testCore();
  return { baseUrl: core.restUrl, user: core.user, password: core.password, ...overrides };
}

export function testClient(overrides: Partial<MailmanConnection> = {}): MailmanClient {
  return new MailmanClient(testConnection(overrides));
}

let counter = 0;

/**
 * A short name unique across processes and runs: lower-case a-z, 0-9 and "-", starting with a
 * letter, so it is valid as a list name (Mailman's listname_chars) and as a DNS label.
 */
export function uniqueName(prefix = "t"): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^[^a-z]+/, "").replace(/-+$/, "") || "t";
  const suffix = `${(counter++ % 1296).toString(36).padStart(2, "0")}${randomBytes(5).readUIntBE(0, 5).toString(36).padStart(8, "0")}`;
  return `${clean.slice(0, 20)}-${suffix}`;
}

/** Creates a fresh domain `d-<unique>.example.test` and returns its mail_host. */
export async function createTestDomain(client: MailmanClient, description?: string): Promise<string> {
  const mailHost = `${uniqueName("d")}.example.test`;
  await client.createDomain({ mailHost, description });
  return mailHost;
}

/**
 * A setup step against the shared core, tried again while the core answers that it was busy
 * (`MailmanError.isTransient`: a 5xx, or Mailman 3.3's 400 "database is locked" when parallel
 * test files hold SQLite's write lock; the core rolled back and did nothing). For a test's own
 * seeding only: what Listkeeper itself sends again is decided in lib/mailman/http.ts.
 */
export function whenCoreFree<T>(step: () => Promise<T>, tries = 5): Promise<T> {
  return pRetry(
    async () => {
      try {
        return await step();
      } catch (error) {
        if (error instanceof MailmanError && error.isTransient) throw error;
        throw new AbortError(error as Error);
      }
    },
    { retries: tries - 1, minTimeout: 200, maxTimeout: 1_000 },
  );
}
