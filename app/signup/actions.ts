"use server";

import { z } from "zod";
import { requestPasswordReset, resetPassword, resetPasswordSchema, resetRequestSchema, signUp, signUpSchema } from "@/lib/accounts/accounts";
import { actionClient } from "@/lib/actions/safe-action";
import { requestContext } from "@/lib/actions/request-context";
import { confirmAddress } from "@/lib/identity/addresses";
import { InvalidInputError } from "@/lib/errors";

// Public actions: the guard is the rate limit inside each lib call (per address and network).

export const signUpAction = actionClient.inputSchema(signUpSchema).action(async ({ parsedInput }) => signUp(parsedInput, await requestContext()));

export const requestResetAction = actionClient
  .inputSchema(resetRequestSchema)
  .action(async ({ parsedInput }) => requestPasswordReset(parsedInput, await requestContext()));

export const resetPasswordAction = actionClient.inputSchema(resetPasswordSchema).action(async ({ parsedInput }) => {
  await resetPassword(parsedInput);
  return { message: "Your new password is set. Sign in with it." };
});

export const confirmAddressAction = actionClient.inputSchema(z.object({ token: z.string().min(1).max(200) })).action(async ({ parsedInput }) => {
  const confirmed = await confirmAddress(parsedInput.token);
  if (!confirmed) throw new InvalidInputError("This link does not work any more: it was used, it expired, or the address was removed. Ask for a new one from your addresses page.");
  return { message: `${confirmed.email} is confirmed.` };
});
