/**
 * npm run token:create -- --name N --user superuser@example.org
 * Creates a JSON API bearer token acting with that superuser's rights; prints it once.
 */
import { parseArgs } from "node:util";
import { ensureLocalSecrets } from "./lib/local-secrets";

const { values } = parseArgs({ options: { name: { type: "string" }, user: { type: "string" } } });

async function main() {
  if (!values.name || !values.user) {
    console.error("Usage: npm run token:create -- --name NAME --user SUPERUSER_EMAIL");
    process.exit(2);
  }
  ensureLocalSecrets();
  const { findCredentialsByEmail, loadViewer } = await import("@/lib/auth/users");
  const { createApiToken } = await import("@/lib/auth/api-tokens");
  const { auditDoor, noteChange, withAuditScope } = await import("@/lib/audit");
  const { closeDb } = await import("@/db/client");
  try {
    const account = await findCredentialsByEmail(values.user);
    const viewer = account ? await loadViewer(account.id) : null;
    if (!viewer?.isSuperuser) throw new Error(`${values.user} is not an enabled superuser: only superusers create API tokens.`);
    const name = values.name;
    // The command is its own door: the token's row names the command and the superuser it acts for.
    const { id, token } = await withAuditScope(auditDoor.cli("token:create", viewer.id), async () => {
      const made = await createApiToken(name, viewer.id);
      await noteChange({ action: "api_token.create", subject: name, detail: { id: made.id } });
      return made;
    });
    console.log(`Token ${id} "${values.name}" (shown once; store it now):\n${token}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  } finally {
    await closeDb();
  }
}

void main();
