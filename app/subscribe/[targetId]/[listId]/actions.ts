"use server";

import { actionClient } from "@/lib/actions/safe-action";
import { requestContext } from "@/lib/actions/request-context";
import { currentViewer } from "@/lib/auth/guard";
import { anonymousSubscribe, anonymousSubscribeSchema, confirmSchema, confirmSubscription } from "@/lib/self-service/anonymous";

// Public actions: bot protection and rate limits live in lib/self-service/anonymous.ts.

export const anonymousSubscribeAction = actionClient
  .inputSchema(anonymousSubscribeSchema)
  .action(async ({ parsedInput }) => anonymousSubscribe(parsedInput, await requestContext()));

export const confirmSubscriptionAction = actionClient.inputSchema(confirmSchema).action(async ({ parsedInput }) => {
  // Signed in or not: the link works for anyone holding it; a viewer's own request is remembered on My lists.
  const outcome = await confirmSubscription(parsedInput, await currentViewer());
  return {
    message:
      outcome.state === "subscribed"
        ? `${outcome.email} is now subscribed to ${outcome.listId}.`
        : `Thank you: ${outcome.email} is confirmed. The subscription is waiting for approval by the list's moderators.`,
  };
});
