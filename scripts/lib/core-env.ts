import { ensureMailmanInstalled, startLocalCore, stopLocalCore } from "./local-core";

export interface CoreHandle {
  restUrl: string;
  user: string;
  password: string;
  maildir: string;
  /** smtp:// URL of the core's SMTP sink ("" when a given core did not say). */
  smtpUrl: string;
  /** Stops the core if this process started it; a no-op for a core passed in by the environment. */
  release: () => Promise<void>;
}

/**
 * The Mailman core for a test run: the one named by MAILMAN_TEST_* when a parent script already
 * started it, otherwise a fresh one that this process owns and stops.
 */
export async function acquireTestCore(name: string): Promise<CoreHandle> {
  const { MAILMAN_TEST_URL, MAILMAN_TEST_USER, MAILMAN_TEST_PASSWORD, MAILMAN_TEST_MAILDIR, MAILMAN_TEST_SMTP_URL } = process.env;
  if (MAILMAN_TEST_URL && MAILMAN_TEST_USER && MAILMAN_TEST_PASSWORD) {
    return { restUrl: MAILMAN_TEST_URL, user: MAILMAN_TEST_USER, password: MAILMAN_TEST_PASSWORD, maildir: MAILMAN_TEST_MAILDIR ?? "", smtpUrl: MAILMAN_TEST_SMTP_URL ?? "", release: async () => {} };
  }
  await ensureMailmanInstalled();
  const core = await startLocalCore({ name });
  return { restUrl: core.restUrl, user: core.user, password: core.password, maildir: core.maildir, smtpUrl: `smtp://${core.smtpHost}:${core.smtpPort}`, release: () => stopLocalCore(name) };
}

export function coreEnv(core: CoreHandle): Record<string, string> {
  return { MAILMAN_TEST_URL: core.restUrl, MAILMAN_TEST_USER: core.user, MAILMAN_TEST_PASSWORD: core.password, MAILMAN_TEST_MAILDIR: core.maildir, MAILMAN_TEST_SMTP_URL: core.smtpUrl };
}
