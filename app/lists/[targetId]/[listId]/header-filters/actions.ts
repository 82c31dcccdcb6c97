"use server";

import { revalidatePath } from "next/cache";
import { listAction } from "@/lib/actions/safe-action";
import { addHeaderFilter, deleteHeaderFilter, moveHeaderFilter, updateHeaderFilter } from "@/lib/header-filters/header-filters";
import { addRuleSchema, deleteRuleSchema, moveRuleSchema, updateRuleSchema } from "@/lib/header-filters/rule-input";
import { listPath } from "@/components/list-header";

function refresh(targetId: number, listId: string) {
  revalidatePath(listPath(targetId, listId, "/header-filters"));
}

export const addRuleAction = listAction("administer")
  .inputSchema(addRuleSchema)
  .action(async ({ parsedInput, ctx }) => {
    const row = await addHeaderFilter(ctx.access, parsedInput);
    refresh(parsedInput.targetId, parsedInput.listId);
    return row;
  });

export const updateRuleAction = listAction("administer")
  .inputSchema(updateRuleSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await updateHeaderFilter(ctx.access, parsedInput);
    refresh(parsedInput.targetId, parsedInput.listId);
    return result;
  });

export const moveRuleAction = listAction("administer")
  .inputSchema(moveRuleSchema)
  .action(async ({ parsedInput, ctx }) => {
    await moveHeaderFilter(ctx.access, parsedInput);
    refresh(parsedInput.targetId, parsedInput.listId);
  });

export const deleteRuleAction = listAction("administer")
  .inputSchema(deleteRuleSchema)
  .action(async ({ parsedInput, ctx }) => {
    await deleteHeaderFilter(ctx.access, parsedInput);
    refresh(parsedInput.targetId, parsedInput.listId);
  });
