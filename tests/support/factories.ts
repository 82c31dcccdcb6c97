import { randomBytes } from "node:crypto";
import { createUser, loadViewer, type Viewer } from "@/lib/auth/users";
import { createTarget, type TargetSummary } from "@/lib/targets/targets";
import { testCore } from "./core";

/** A short unique suffix so suites sharing one database and one core never collide. */
export function unique(prefix = "t"): string {
  return `${prefix}${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
}

export async function makeUser(options: { superuser?: boolean; email?: string; verified?: boolean; password?: string } = {}): Promise<Viewer> {
  const email = options.email ?? `${unique("u")}@people.example.test`;
  const { id } = await createUser({
    email,
    password: options.password ?? "correct horse battery",
    superuser: options.superuser ?? false,
    verified: options.verified ?? true,
  });
  const viewer = await loadViewer(id);
  if (!viewer) throw new Error("user vanished");
  return viewer;
}

/** Registers the test core as a target (through the real code path, which also creates the domain). */
export async function makeTarget(actor: Viewer, options: { domain?: string; serverUrl?: string } = {}): Promise<TargetSummary> {
  const core = testCore();
  return createTarget(
    {
      name: unique("server-"),
      serverUrl: options.serverUrl ?? core.restUrl,
      adminUser: core.user,
      adminPassword: core.password,
      domain: options.domain ?? `${unique("d")}.example.test`,
    }
  );
}
