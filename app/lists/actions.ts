"use server";

import { listAction, superuserAction } from "@/lib/actions/safe-action";
import { createList, createListSchema, deleteList, deleteListSchema } from "@/lib/lists/lists";

/** Creating a list is for superusers only (console.md §6); the form navigates to the new list. */
export const createListAction = superuserAction.inputSchema(createListSchema).action(async ({ parsedInput }) => {
  const { listId } = await createList(parsedInput);
  return { targetId: parsedInput.targetId, listId };
});

export const deleteListAction = listAction("administer")
  .inputSchema(deleteListSchema)
  .action(async ({ parsedInput, ctx }) => deleteList(ctx.access, parsedInput.confirm));
