"use server";

import { revalidatePath } from "next/cache";
import { listPath } from "@/components/list-header";
import { listAction } from "@/lib/actions/safe-action";
import { addListBanSchema, removeListBanSchema } from "@/lib/bans/ban-input";
import { addListBan, removeListBan } from "@/lib/bans/bans";

function refresh(targetId: number, listId: string) {
  revalidatePath(listPath(targetId, listId, "/bans"));
}

export const addListBanAction = listAction("administer")
  .inputSchema(addListBanSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await addListBan(ctx.access, parsedInput);
    refresh(parsedInput.targetId, parsedInput.listId);
    return result;
  });

export const removeListBanAction = listAction("administer")
  .inputSchema(removeListBanSchema)
  .action(async ({ parsedInput, ctx }) => {
    await removeListBan(ctx.access, parsedInput);
    refresh(parsedInput.targetId, parsedInput.listId);
  });
