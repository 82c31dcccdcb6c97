"use server";

import { changePassword, changePasswordSchema, displayNameSchema } from "@/lib/accounts/accounts";
import { authedAction } from "@/lib/actions/safe-action";
import { requestContext } from "@/lib/actions/request-context";
import { addAddress, addressInputSchema, changeDisplayName, makePrimary, removeAddress, resendVerification } from "@/lib/identity/addresses";
import { deleteAccount, deleteAccountSchema } from "@/lib/identity/delete-account";

export const changeDisplayNameAction = authedAction.inputSchema(displayNameSchema).action(async ({ parsedInput, ctx }) => {
  await changeDisplayName(ctx.viewer, parsedInput.displayName);
  return { message: "Your name is saved." };
});

export const changePasswordAction = authedAction.inputSchema(changePasswordSchema).action(async ({ parsedInput, ctx }) => {
  await changePassword(ctx.viewer.id, parsedInput);
  return { message: "Your password is changed." };
});

export const deleteAccountAction = authedAction.inputSchema(deleteAccountSchema).action(async ({ parsedInput, ctx }) => {
  const report = await deleteAccount(ctx.viewer, parsedInput.confirmation);
  return { message: `Your account is deleted (${report.deletedCoreUsers.length} Mailman users removed).` };
});

export const addAddressAction = authedAction
  .inputSchema(addressInputSchema)
  .action(async ({ parsedInput, ctx }) => addAddress(ctx.viewer, parsedInput.email, await requestContext()));

export const resendVerificationAction = authedAction
  .inputSchema(addressInputSchema)
  .action(async ({ parsedInput, ctx }) => resendVerification(ctx.viewer, parsedInput.email, await requestContext()));

export const makePrimaryAction = authedAction.inputSchema(addressInputSchema).action(async ({ parsedInput, ctx }) => {
  await makePrimary(ctx.viewer, parsedInput.email);
  return { message: `${parsedInput.email} is now your primary address.` };
});

export const removeAddressAction = authedAction.inputSchema(addressInputSchema).action(async ({ parsedInput, ctx }) => {
  await removeAddress(ctx.viewer, parsedInput.email);
  return { message: `${parsedInput.email} is removed.` };
});
