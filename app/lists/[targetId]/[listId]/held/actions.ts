"use server";

import { revalidatePath } from "next/cache";
import { listPath } from "@/components/list-header";
import { listAction } from "@/lib/actions/safe-action";
import { acceptAndAlwaysAccept, discardAndBan, moderateHeldMessages } from "@/lib/moderation/held";
import { heldSenderActionSchema, moderateHeldSchema } from "@/lib/moderation/held-input";

function refresh(input: { targetId: number; listId: string; from: "queue" | "message" }) {
  if (input.from === "queue") revalidatePath(listPath(input.targetId, input.listId, "/held"));
}

export const moderateHeldAction = listAction("moderate")
  .inputSchema(moderateHeldSchema)
  .action(async ({ parsedInput, ctx }) => {
    const results = await moderateHeldMessages(ctx.access, parsedInput);
    refresh(parsedInput);
    return results;
  });

export const acceptAndAlwaysAcceptAction = listAction("moderate")
  .inputSchema(heldSenderActionSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await acceptAndAlwaysAccept(ctx.access, parsedInput);
    refresh(parsedInput);
    return result;
  });

export const discardAndBanAction = listAction("moderate")
  .inputSchema(heldSenderActionSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await discardAndBan(ctx.access, parsedInput);
    refresh(parsedInput);
    return result;
  });
