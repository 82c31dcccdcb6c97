"use server";

import { revalidatePath } from "next/cache";
import { superuserAction } from "@/lib/actions/safe-action";
import { addGlobalBanSchema, removeGlobalBanSchema } from "@/lib/bans/ban-input";
import { addGlobalBan, removeGlobalBan } from "@/lib/bans/bans";

/** Site-wide bans of one Mailman server: superusers only (console.md §6). */
function refresh(targetId: number) {
  revalidatePath(`/admin/targets/${targetId}/bans`);
}

export const addGlobalBanAction = superuserAction.inputSchema(addGlobalBanSchema).action(async ({ parsedInput }) => {
  const result = await addGlobalBan(parsedInput);
  refresh(parsedInput.targetId);
  return result;
});

export const removeGlobalBanAction = superuserAction.inputSchema(removeGlobalBanSchema).action(async ({ parsedInput }) => {
  await removeGlobalBan(parsedInput);
  refresh(parsedInput.targetId);
});
