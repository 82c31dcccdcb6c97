import "server-only";
import { randomUUID } from "node:crypto";
import { createSafeActionClient } from "next-safe-action";
import { z } from "zod";
import { authorizeDisabledList } from "@/lib/auth/former-owner";
import { authorizeList, requireViewer } from "@/lib/auth/guard";
import type { ListCapability } from "@/lib/auth/roles";
import { AppError, ForbiddenError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { MailmanError, MailmanTransportError } from "@/lib/mailman";

/** What a failed action returns to the browser: a message meant for the user, maybe a field. */
export interface ActionFailure {
  message: string;
  field?: string;
  reference?: string;
}

export function describeActionError(error: Error): ActionFailure {
  if (error instanceof AppError) return { message: error.message, field: error.field };
  if (error instanceof MailmanError && error.status < 500 && error.status !== 401) return { message: error.userMessage };
  if (error instanceof MailmanTransportError || error instanceof MailmanError) {
    logger.warn({ err: { name: error.name, message: error.message } }, "Mailman core failure in action");
    return { message: error.userMessage };
  }
  const reference = randomUUID().slice(0, 8);
  logger.error({ err: error, reference }, "unexpected error in server action");
  return { message: `Something went wrong on the server (reference ${reference}). Nothing secret was shown; the log has details.`, reference };
}

/** Base client: validation and error shaping only. Public actions (sign-in) use this directly. */
export const actionClient = createSafeActionClient<"flattened", ActionFailure>({
  defaultValidationErrorsShape: "flattened",
  handleServerError: (error) => describeActionError(error),
});

/** Every action of a signed-in user: the guard reloads the account and puts it in `ctx`. */
export const authedAction = actionClient.use(async ({ next }) => {
  const viewer = await requireViewer();
  return next({ ctx: { viewer } });
});

export const superuserAction = authedAction.use(async ({ next, ctx }) => {
  if (!ctx.viewer.isSuperuser) throw new ForbiddenError("Only Listkeeper superusers may do that.");
  return next({ ctx });
});

export const listRef = z.object({ targetId: z.coerce.number().int().positive(), listId: z.string().min(1).max(320) });

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
