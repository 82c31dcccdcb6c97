"use server";

import { z } from "zod";
import { superuserAction } from "@/lib/actions/safe-action";
import { publishConfirmationTemplate } from "@/lib/self-service/anonymous";
import { clientForTarget } from "@/lib/targets/targets";
import { queryId } from "@/lib/validation/ids";

export const publishConfirmationAction = superuserAction
  .inputSchema(z.object({ targetId: queryId, mailHost: z.string().min(1).max(253) }))
  .action(async ({ parsedInput, ctx }) => {
    const { client } = await clientForTarget(parsedInput.targetId);
    const result = await publishConfirmationTemplate(client, parsedInput.targetId, parsedInput.mailHost, ctx.viewer.id);
    return { message: result.warning ?? `Published: confirmation mail of ${parsedInput.mailHost} now links to Listkeeper.` };
  });
