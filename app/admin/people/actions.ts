"use server";

import { superuserAction } from "@/lib/actions/safe-action";
import { previewRemoveEverywhere, startRemoveEverywhere } from "@/lib/people/remove-everywhere";
import { removeEverywhereSchema, startRemoveEverywhereSchema } from "@/lib/people/remove-plan";

/** Remove everywhere (issue 11 item 2): superusers only. The start plans again and checks the typed address. */
export const previewRemoveEverywhereAction = superuserAction.inputSchema(removeEverywhereSchema).action(async ({ parsedInput }) => previewRemoveEverywhere(parsedInput));

export const startRemoveEverywhereAction = superuserAction
  .inputSchema(startRemoveEverywhereSchema)
  .action(async ({ parsedInput, ctx }) => startRemoveEverywhere(parsedInput, ctx.viewer.id));
