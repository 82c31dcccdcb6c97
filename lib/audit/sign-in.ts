import { loadViewer } from "@/lib/auth/users";
import { logger } from "@/lib/logger";
import { auditDoor, noteChange, withAuditScope } from "./record";

/**
 * Superusers' sign-ins go to the audit log (issue 11 item 5); members' do not, they are many and
 * change nothing. A failure to record never blocks the sign-in: it is logged.
 */
export async function recordSignIn(userId: string | null | undefined, method: "password" | "single sign-on"): Promise<void> {
  if (!userId) return;
  try {
    const viewer = await loadViewer(userId);
    if (!viewer?.isSuperuser) return;
    // Signing in is its own door (Auth.js callbacks, not an action): its one row in its own scope.
    await withAuditScope(auditDoor.user(viewer.id), () => noteChange({ action: "auth.sign_in", subject: viewer.emails[0]?.email ?? "", detail: { method } }));
  } catch (error) {
    logger.error({ err: error, userId }, "could not record a sign-in in the audit log");
  }
}
