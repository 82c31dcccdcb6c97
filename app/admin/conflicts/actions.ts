"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { superuserAction } from "@/lib/actions/safe-action";
import { auditStep } from "@/lib/audit";
import { resolveConflict } from "@/lib/registry/registry";
import { queryId } from "@/lib/validation/ids";

/** The same resolution as POST /api/v1/conflicts/{id}/resolve, from the console. */
export const resolveConflictAction = superuserAction
  .inputSchema(z.object({ id: queryId, action: z.enum(["adopt", "absorb", "ignore"]) }))
  .action(async ({ parsedInput, ctx }) => {
    const result = await auditStep(
      { action: "provisioning.run", subject: `conflict ${parsedInput.id}`, detail: { resolve: parsedInput.action } },
      () => resolveConflict(parsedInput.id, parsedInput.action, ctx.viewer.id),
      (resolved) => ({ email: resolved.email }),
    );
    revalidatePath("/admin/conflicts");
    return { id: result.id, jobIds: result.jobIds };
  });
