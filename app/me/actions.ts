"use server";

import { z } from "zod";
import { authedAction } from "@/lib/actions/safe-action";
import { loadMyLists } from "@/lib/self-service/my-lists";
import { cancelRequest, cancelRequestSchema, subscribe, subscribeSchema, unsubscribe, unsubscribeSchema } from "@/lib/self-service/subscriptions";

export const myListsAction = authedAction.inputSchema(z.object({})).action(async ({ ctx }) => loadMyLists(ctx.viewer));

export const subscribeAction = authedAction.inputSchema(subscribeSchema).action(async ({ parsedInput, ctx }) => subscribe(ctx.viewer, parsedInput));

export const unsubscribeAction = authedAction.inputSchema(unsubscribeSchema).action(async ({ parsedInput, ctx }) => unsubscribe(ctx.viewer, parsedInput));

export const cancelRequestAction = authedAction.inputSchema(cancelRequestSchema).action(async ({ parsedInput, ctx }) => cancelRequest(ctx.viewer, parsedInput.requestId));
