import { getDb } from "@/db/client";
import { auditEvents } from "@/db/schema";

export interface AuditEntry {
  actorUserId: string | null;
  targetId?: number | null;
  action: string;
  subject?: string;
  detail?: Record<string, unknown>;
}

/** Records a change Listkeeper made (in the core or in its own configuration). Never a secret. */
export async function recordAudit(entry: AuditEntry): Promise<void> {
  const db = await getDb();
  await db.insert(auditEvents).values({
    actorUserId: entry.actorUserId,
    targetId: entry.targetId ?? null,
    action: entry.action,
    subject: entry.subject ?? "",
    detail: entry.detail ?? {},
  });
}
