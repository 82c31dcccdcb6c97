"use server";

import { revalidatePath } from "next/cache";
import { listPath } from "@/components/list-header";
import { disabledListAction } from "@/lib/actions/safe-action";
import { disableList, disableListSchema, enableList, enableListSchema, previewDisable } from "@/lib/lists/disable";

/**
 * Disable/archive and re-enable (issue 11 item 3): owners and superusers, and the owners recorded
 * when the list was disabled (the guard in lib/auth/former-owner.ts).
 */

export const previewDisableAction = disabledListAction.inputSchema(disableListSchema).action(({ parsedInput, ctx }) => previewDisable(ctx.access, parsedInput.mode));

export const disableListAction = disabledListAction.inputSchema(disableListSchema).action(async ({ parsedInput, ctx }) => {
  const record = await disableList(ctx.access, parsedInput.mode);
  revalidatePath("/lists");
  revalidatePath(listPath(ctx.access.target.id, ctx.access.list.list_id));
  return { mode: record.mode };
});

export const enableListAction = disabledListAction.inputSchema(enableListSchema).action(async ({ ctx }) => {
  await enableList(ctx.access);
  revalidatePath("/lists");
  revalidatePath(listPath(ctx.access.target.id, ctx.access.list.list_id));
  return { enabled: true };
});
