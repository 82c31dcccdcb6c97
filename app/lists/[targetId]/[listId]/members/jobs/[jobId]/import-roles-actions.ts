"use server";

import { listAction } from "@/lib/actions/safe-action";
import { applyImportRoles, applyImportRolesSchema } from "@/lib/members/import-roles";

/** The owners and moderators a Google Groups import asked for, added after its job (owners only). */
export const applyImportRolesAction = listAction("administer")
  .inputSchema(applyImportRolesSchema)
  .action(({ parsedInput, ctx }) => applyImportRoles(ctx.access, parsedInput.jobId));
