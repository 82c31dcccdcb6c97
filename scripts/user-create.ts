/**
 * npm run user:create -- --email a@example.org --password '…' [--superuser] [--name "Ada"]
 * With PGlite (no DATABASE_URL) stop the app first: an embedded database has one process at a time.
 */
import { parseArgs } from "node:util";
import { ensureLocalSecrets } from "./lib/local-secrets";

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    password: { type: "string" },
    name: { type: "string", default: "" },
    superuser: { type: "boolean", default: false },
    unverified: { type: "boolean", default: false },
  },
});

async function main() {
  if (!values.email || !values.password) {
    console.error("Usage: npm run user:create -- --email EMAIL --password PASSWORD [--superuser] [--name NAME] [--unverified]");
    process.exit(2);
  }
  ensureLocalSecrets();
  const { createUser } = await import("@/lib/auth/users");
  const { closeDb } = await import("@/db/client");
  try {
    const { id } = await createUser({
      email: values.email,
      password: values.password,
      displayName: values.name,
      superuser: values.superuser,
      verified: !values.unverified,
    });
    console.log(`Created ${values.superuser ? "superuser" : "user"} ${values.email.toLowerCase()} (${id}).`);
  } catch (error) {
    const issues = (error as { issues?: { message: string }[] }).issues;
    console.error(issues ? issues.map((i) => i.message).join("\n") : (error as Error).message);
    process.exitCode = 1;
  } finally {
    await closeDb();
  }
}

void main();
