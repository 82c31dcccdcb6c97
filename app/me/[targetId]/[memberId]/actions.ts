"use server";

import { authedAction } from "@/lib/actions/safe-action";
import { savePreference, savePreferenceSchema, switchAddress, switchAddressSchema } from "@/lib/self-service/subscription-details";

export const savePreferenceAction = authedAction.inputSchema(savePreferenceSchema).action(async ({ parsedInput, ctx }) => {
  await savePreference(ctx.viewer, parsedInput);
  return { message: "Saved." };
});

export const switchAddressAction = authedAction.inputSchema(switchAddressSchema).action(async ({ parsedInput, ctx }) => switchAddress(ctx.viewer, parsedInput));
