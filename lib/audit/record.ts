import { AsyncLocalStorage } from "node:async_hooks";
import { getDb } from "@/db/client";
import { auditEvents, type AuditActorKind, type AuditOutcome } from "@/db/schema/audit-events";
import type { AuditAction } from "./actions";
import { listIdOfEntry } from "./scope";

/** Who is acting, when it is not a signed-in person at a page: an API token, SCIM, a schedule. */
export interface AuditActor {
  kind: AuditActorKind;
  /** The token's, connector's or schedule's name. Never a secret. */
  label?: string;
}

const actorContext = new AsyncLocalStorage<AuditActor>();

/**
 * Runs `fn` with every audit row it writes attributed to `actor`. Entry points (the API, SCIM,
 * the scheduler) wrap their work in this once, so lib functions record the right actor without
 * knowing which door the request came through.
 */
export function runAsActor<T>(actor: AuditActor, fn: () => Promise<T>): Promise<T> {
  return actorContext.run(actor, fn);
}

export interface AuditEntry {
  actorUserId: string | null;
  targetId?: number | null;
  action: AuditAction;
  subject?: string;
  /** Defaults to the list the action and subject name (lib/audit/scope.ts). */
  listId?: string | null;
  outcome?: AuditOutcome;
  detail?: Record<string, unknown>;
}

/** Records a change Listkeeper made (in the core or in its own configuration). Never a secret. */
export async function recordAudit(entry: AuditEntry): Promise<void> {
  const db = await getDb();
  const actor = actorContext.getStore();
  const subject = entry.subject ?? "";
  const detailOutcome = entry.detail?.outcome;
  await db.insert(auditEvents).values({
    actorUserId: entry.actorUserId,
    actorKind: actor?.kind ?? "user",
    actorLabel: actor?.label ?? null,
    targetId: entry.targetId ?? null,
    listId: entry.listId !== undefined ? entry.listId : listIdOfEntry(entry.action, subject),
    action: entry.action,
    subject,
    outcome: entry.outcome ?? (detailOutcome === "partial" || detailOutcome === "failed" ? detailOutcome : "ok"),
    detail: entry.detail ?? {},
  });
}
