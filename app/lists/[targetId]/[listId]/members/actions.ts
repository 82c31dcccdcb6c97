"use server";

import { revalidatePath } from "next/cache";
import { listPath } from "@/components/list-header";
import { listAction } from "@/lib/actions/safe-action";
import { addStaff, changeAddress, removeStaff, unsubscribe, updateModeration, updatePreferences } from "@/lib/members/member";
import { addStaffSchema, changeAddressSchema, moderationSchema, preferencesSchema, removeStaffSchema, unsubscribeSchema } from "@/lib/members/member-input";

function refresh(targetId: number, listId: string) {
  revalidatePath(listPath(targetId, listId, "/members"), "layout");
}

export const updateModerationAction = listAction("administer")
  .inputSchema(moderationSchema)
  .action(async ({ parsedInput, ctx }) => {
    await updateModeration(ctx.access, parsedInput);
    refresh(parsedInput.targetId, parsedInput.listId);
    return { action: parsedInput.action };
  });

export const updatePreferencesAction = listAction("administer")
  .inputSchema(preferencesSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await updatePreferences(ctx.access, parsedInput);
    refresh(parsedInput.targetId, parsedInput.listId);
    return result;
  });

export const changeAddressAction = listAction("administer")
  .inputSchema(changeAddressSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await changeAddress(ctx.access, parsedInput);
    refresh(parsedInput.targetId, parsedInput.listId);
    return result;
  });

export const unsubscribeAction = listAction("administer")
  .inputSchema(unsubscribeSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await unsubscribe(ctx.access, parsedInput);
    refresh(parsedInput.targetId, parsedInput.listId);
    return result;
  });

export const addStaffAction = listAction("administer")
  .inputSchema(addStaffSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await addStaff(ctx.access, parsedInput);
    refresh(parsedInput.targetId, parsedInput.listId);
    return result;
  });

export const removeStaffAction = listAction("administer")
  .inputSchema(removeStaffSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await removeStaff(ctx.access, parsedInput);
    refresh(parsedInput.targetId, parsedInput.listId);
    return result;
  });
