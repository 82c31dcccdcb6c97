"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { superuserAction } from "@/lib/actions/safe-action";
import { recordAudit } from "@/lib/audit";
import { resolveConflict } from "@/lib/registry/registry";

/** The same resolution as POST /api/v1/conflicts/{id}/resolve, from the console. */
export const resolveConflictAction = superuserAction
  .inputSchema(z.object({ id: z.coerce.number().int().positive(), action: z.enum(["adopt", "absorb", "ignore"]) }))
  .action(async ({ parsedInput, ctx }) => {
    const result = await resolveConflict(parsedInput.id, parsedInput.action, ctx.viewer.id);
    await recordAudit({ actorUserId: ctx.viewer.id, action: "provisioning.run", targetId: result.targetId, subject: `conflict ${parsedInput.id}`, detail: { resolve: parsedInput.action, email: result.email } });
    revalidatePath("/admin/conflicts");
    return { id: result.id, jobIds: result.jobIds };
  });
