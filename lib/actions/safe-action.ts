import "server-only";
import { createSafeActionClient } from "next-safe-action";
import { runActionAudited } from "./action-audit";
import { describeActionError, type ActionFailure } from "./action-failure";
import { z } from "zod";
import { authorizeDisabledList } from "@/lib/auth/former-owner";
import { authorizeList, requireViewer } from "@/lib/auth/guard";
import type { ListCapability } from "@/lib/auth/roles";
import { ForbiddenError } from "@/lib/errors";
import { queryId } from "@/lib/validation/ids";

export { describeActionError, type ActionFailure } from "./action-failure";

/** Base client: validation and error shaping only. Public actions (sign-in) use this directly. */
export const actionClient = createSafeActionClient<"flattened", ActionFailure>({
  defaultValidationErrorsShape: "flattened",
  handleServerError: (error) => describeActionError(error),
});

/**
 * Every action of a signed-in user: the guard reloads the account and puts it in `ctx`, and the
 * action runs in one audit scope of that person (lib/audit/record.ts): the changes the lib
 * functions describe are written when it ends, a failure as a failed row.
 */
export const authedAction = actionClient.use(async ({ next }) => {
  const viewer = await requireViewer();
  return runActionAudited(viewer.id, () => next({ ctx: { viewer } }));
});

export const superuserAction = authedAction.use(async ({ next, ctx }) => {
  if (!ctx.viewer.isSuperuser) throw new ForbiddenError("Only Listkeeper superusers may do that.");
  return next({ ctx });
});

export const listRef = z.object({ targetId: queryId, listId: z.string().min(1).max(320) });

/**
 * Actions on one list: the middleware reads `targetId` and `listId` from the input, resolves
 * the viewer's roles once and refuses before the action body runs.
 */
export function listAction(capability: ListCapability) {
  return authedAction.use(async ({ next, ctx, clientInput }) => {
    const ref = listRef.safeParse(clientInput);
    if (!ref.success) throw new ForbiddenError("This action needs a list.");
    const access = await authorizeList(ctx.viewer, ref.data.targetId, ref.data.listId, capability);
    return next({ ctx: { ...ctx, access } });
  });
}

/**
 * Finishing or undoing the disabling of a list: like `listAction("administer")`, and also open to
 * the owners recorded when the list was disabled (the core no longer names them owners).
 */
export const disabledListAction = authedAction.use(async ({ next, ctx, clientInput }) => {
  const ref = listRef.safeParse(clientInput);
  if (!ref.success) throw new ForbiddenError("This action needs a list.");
  const access = await authorizeDisabledList(ctx.viewer, ref.data.targetId, ref.data.listId);
  return next({ ctx: { ...ctx, access } });
});
