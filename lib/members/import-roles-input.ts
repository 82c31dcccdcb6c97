import { z } from "zod";
import { parseMassInput, type GoogleGroupsChoices } from "./mass-input";

/**
 * Owners and managers of a Google Groups export that the owner chose to make the list's owners
 * and moderators. The mass-subscribe job subscribes people only; these roles are kept in the
 * job's options and added afterwards, through the owner/moderator functions of lib/members/member.ts.
 */
export const importRoleSchema = z.object({ email: z.string().min(3).max(254), role: z.enum(["owner", "moderator"]) });
export type ImportRole = z.infer<typeof importRoleSchema>;

export const jobImportRolesSchema = z.object({ importRoles: z.array(importRoleSchema).default([]) });

/** The staff rows whose lines were chosen, from the input as the job will parse it. */
export function chosenImportRoles(input: { input: string; format: "text" | "csv"; googleGroups?: GoogleGroupsChoices }): ImportRole[] {
  const lines = new Set(input.googleGroups?.staff ?? []);
  if (lines.size === 0 || input.format !== "csv") return [];
  const parsed = parseMassInput(input.input, input.format, { include: input.googleGroups?.include });
  return (parsed.googleGroups?.staff ?? []).filter((s) => lines.has(s.line)).map((s) => ({ email: s.email.toLowerCase(), role: s.role }));
}
