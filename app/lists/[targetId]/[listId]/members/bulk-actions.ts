"use server";

import { revalidatePath } from "next/cache";
import { listPath } from "@/components/list-header";
import { listAction } from "@/lib/actions/safe-action";
import {
  bulkJobRefSchema,
  massRemovePreflightSchema,
  massRemoveStartSchema,
  massSubscribePreflightSchema,
  massSubscribeStartSchema,
  removeAllStartSchema,
} from "@/lib/members/mass-input";
import { cancelBulkJob, preflightRemove, preflightSubscribe, startMassRemove, startMassSubscribe, startRemoveAll } from "@/lib/members/mass-operations";

/** Mass subscribe, mass removal and remove-all: owners (and superusers) only, as every roster action. */

export const preflightSubscribeAction = listAction("administer")
  .inputSchema(massSubscribePreflightSchema)
  .action(({ parsedInput, ctx }) => preflightSubscribe(ctx.access, parsedInput));

export const startMassSubscribeAction = listAction("administer")
  .inputSchema(massSubscribeStartSchema)
  .action(async ({ parsedInput, ctx }) => {
    const started = await startMassSubscribe(ctx.access, parsedInput);
    revalidatePath(listPath(parsedInput.targetId, ctx.access.list.list_id, "/members"));
    return started;
  });

export const preflightRemoveAction = listAction("administer")
  .inputSchema(massRemovePreflightSchema)
  .action(({ parsedInput, ctx }) => preflightRemove(ctx.access, parsedInput));

export const startMassRemoveAction = listAction("administer")
  .inputSchema(massRemoveStartSchema)
  .action(async ({ parsedInput, ctx }) => {
    const started = await startMassRemove(ctx.access, parsedInput);
    revalidatePath(listPath(parsedInput.targetId, ctx.access.list.list_id, "/members"));
    return started;
  });

export const startRemoveAllAction = listAction("administer")
  .inputSchema(removeAllStartSchema)
  .action(async ({ parsedInput, ctx }) => {
    const started = await startRemoveAll(ctx.access, parsedInput);
    revalidatePath(listPath(parsedInput.targetId, ctx.access.list.list_id, "/members"));
    return started;
  });

export const cancelBulkJobAction = listAction("administer")
  .inputSchema(bulkJobRefSchema)
  .action(async ({ parsedInput, ctx }) => {
    await cancelBulkJob(ctx.access, parsedInput.jobId);
    return { jobId: parsedInput.jobId };
  });
