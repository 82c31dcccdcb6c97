"use server";

import { z } from "zod";
import { authedAction } from "@/lib/actions/safe-action";
import { auditStep } from "@/lib/audit";
import { cancelConfirmation, confirmationActionSchema, resendConfirmation } from "@/lib/self-service/confirmations";
import { loadMyLists } from "@/lib/self-service/my-lists";
import { mySelfServiceLists, selfServiceToggleSchema, setMySelfServicePreference } from "@/lib/self-service/self-service-lists";
import { cancelRequest, cancelRequestSchema, subscribe, subscribeSchema, unsubscribe, unsubscribeSchema } from "@/lib/self-service/subscriptions";

export const myListsAction = authedAction.inputSchema(z.object({})).action(async ({ ctx }) => loadMyLists(ctx.viewer));

export const subscribeAction = authedAction.inputSchema(subscribeSchema).action(async ({ parsedInput, ctx }) => subscribe(ctx.viewer, parsedInput));

export const unsubscribeAction = authedAction.inputSchema(unsubscribeSchema).action(async ({ parsedInput, ctx }) => unsubscribe(ctx.viewer, parsedInput));

export const cancelRequestAction = authedAction.inputSchema(cancelRequestSchema).action(async ({ parsedInput, ctx }) => cancelRequest(ctx.viewer, parsedInput.requestId));

export const resendConfirmationAction = authedAction
  .inputSchema(confirmationActionSchema)
  .action(async ({ parsedInput, ctx }) => resendConfirmation(ctx.viewer, parsedInput.confirmationId));

export const cancelConfirmationAction = authedAction
  .inputSchema(confirmationActionSchema)
  .action(async ({ parsedInput, ctx }) => cancelConfirmation(ctx.viewer, parsedInput.confirmationId));

/** Self-service lists of the registry (IXP model): read, and opt in or out (queued and dispatched at once). */
export const selfServiceListsAction = authedAction.inputSchema(z.object({})).action(async ({ ctx }) => mySelfServiceLists(ctx.viewer));

export const selfServiceToggleAction = authedAction.inputSchema(selfServiceToggleSchema).action(async ({ parsedInput, ctx }) => {
  return auditStep({ action: "registry.preference", subject: `email list ${parsedInput.emailListId}`, detail: { subscribed: parsedInput.subscribed } }, () =>
    setMySelfServicePreference(ctx.viewer, parsedInput),
  );
});
