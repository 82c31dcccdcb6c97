import { z } from "zod";
import { noteChange } from "@/lib/audit";
import type { ListAccess } from "@/lib/auth/list-access";
import { AppError, ConflictError } from "@/lib/errors";
import { MailmanError, MailmanTransportError } from "@/lib/mailman";
import type { BulkJob } from "./bulk-store";
import { jobImportRolesSchema, type ImportRole } from "./import-roles-input";
import { loadListBulkJob } from "./mass-operations";
import { addStaff } from "./member";
import { queryId } from "@/lib/validation/ids";

/**
 * The step after a Google Groups import's mass subscribe: its chosen owners and managers become
 * the list's owners and moderators, one by one through `addStaff` (the same checks, messages and
 * audit entries as adding them by hand), each with its own reported result.
 */

export interface ImportRoleState extends ImportRole {
  /** Whether the list already has this address in this role. */
  already: boolean;
}

export function importRolesOf(job: BulkJob): ImportRole[] {
  if (job.kind !== "subscribe") return [];
  return jobImportRolesSchema.parse(job.options ?? {}).importRoles;
}

/** The job's roles with what the list has now (2 core calls, none when the job carries no roles). */
export async function importRolesState(access: ListAccess, job: BulkJob): Promise<ImportRoleState[]> {
  const roles = importRolesOf(job);
  if (roles.length === 0) return [];
  const [owners, moderators] = await Promise.all(
    (["owner", "moderator"] as const).map(async (role) => new Set((await access.client.fullRoster(access.list.list_id, role, ["email"])).map((m) => (m.email ?? "").toLowerCase()))),
  );
  return roles.map((r) => ({ ...r, already: (r.role === "owner" ? owners! : moderators!).has(r.email) }));
}

export interface ImportRoleResult extends ImportRole {
  outcome: "added" | "already" | "failed";
  message: string;
}

export const applyImportRolesSchema = z.object({
  targetId: queryId,
  listId: z.string().min(1).max(320),
  jobId: queryId,
});

export async function applyImportRoles(access: ListAccess, jobId: number): Promise<ImportRoleResult[]> {
  const job = await loadListBulkJob(access, jobId);
  if (job.status === "queued" || job.status === "running") throw new ConflictError("Wait until the job has finished: the roles are added after the subscriptions.");
  const states = await importRolesState(access, job);
  if (states.length === 0) throw new ConflictError("This job has no owners or moderators to add.");
  const results: ImportRoleResult[] = [];
  for (const state of states) {
    const { email, role } = state;
    if (state.already) {
      results.push({ email, role, outcome: "already", message: `Already ${role === "owner" ? "an owner" : "a moderator"}.` });
      continue;
    }
    try {
      await addStaff(access, { targetId: access.target.id, listId: access.list.list_id, role, email });
      results.push({ email, role, outcome: "added", message: `Now ${role === "owner" ? "an owner" : "a moderator"}.` });
    } catch (error) {
      if (error instanceof ConflictError) results.push({ email, role, outcome: "already", message: error.message });
      else if (error instanceof AppError || error instanceof MailmanError || error instanceof MailmanTransportError) {
        results.push({ email, role, outcome: "failed", message: error instanceof AppError ? error.message : error.userMessage });
      } else throw error;
    }
  }
  const failed = results.filter((r) => r.outcome === "failed").length;
  await noteChange({
    outcome: failed === 0 ? "ok" : failed === results.length ? "failed" : "partial",
    targetId: access.target.id,
    action: "members.import_roles",
    subject: access.list.list_id,
    detail: { jobId, results: results.map(({ email, role, outcome }) => ({ email, role, outcome })) },
  });
  return results;
}
