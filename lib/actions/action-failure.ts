import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors";
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

