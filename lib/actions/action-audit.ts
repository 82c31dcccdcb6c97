import { auditDoor, withAuditScope } from "@/lib/audit";
import type { ActionFailure } from "./action-failure";

/**
 * The server actions' door to the audit log: the rest of the middleware chain and the action run
 * in one audit scope of the signed-in person; what the lib functions describe is written when the
 * action ends. next-safe-action turns a thrown error into `serverError` before it reaches the
 * middleware, so that result is what marks the operation failed.
 */
export function runActionAudited<R extends { serverError?: ActionFailure }>(viewerId: string, next: () => Promise<R>): Promise<R> {
  return withAuditScope(auditDoor.user(viewerId), next, { failureOf: (result) => result.serverError?.message ?? null });
}
