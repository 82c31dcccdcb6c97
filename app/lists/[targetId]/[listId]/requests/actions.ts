"use server";

import { revalidatePath } from "next/cache";
import { listPath } from "@/components/list-header";
import { listAction } from "@/lib/actions/safe-action";
import { moderateRequests } from "@/lib/moderation/requests";
import { moderateRequestsSchema } from "@/lib/moderation/requests-input";

export const moderateRequestsAction = listAction("moderate")
  .inputSchema(moderateRequestsSchema)
  .action(async ({ parsedInput, ctx }) => {
    const results = await moderateRequests(ctx.access, parsedInput);
    revalidatePath(listPath(parsedInput.targetId, parsedInput.listId, "/requests"));
    return results;
  });
