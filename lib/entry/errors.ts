import { randomUUID } from "node:crypto";
import { AppError, ConflictError, ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { MailmanError, MailmanTransportError } from "@/lib/mailman/errors";

/** Errors of the entry layer and their one status table, shared by every door (lib/entry/route.ts). */

export class ValidationProblem extends Error {
  constructor(readonly errors: { path: string; message: string }[]) {
    super("The input is not valid.");
  }
}

export function problem(status: number, title: string, detail: string, extra: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify({ type: "about:blank", title, status, detail, ...extra }), {
    status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store" },
  });
}

/** No call of the API needs more: 10,000 addresses in one body are about 400 kB. */
export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLarge extends Error {}

/**
 * The HTTP status of an error, one table for every door: the API's problems, SCIM aside (its own
 * error bodies), and the console's route handlers (lib/entry/console-route.ts).
 */
export function errorStatus(error: unknown): number {
  if (error instanceof BodyTooLarge) return 413;
  if (error instanceof UnauthenticatedError) return 401;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof ValidationProblem || error instanceof AppError) return 422;
  if (error instanceof MailmanError || error instanceof MailmanTransportError) return 502;
  return 500;
}

export function toProblem(error: unknown): Response {
  if (error instanceof BodyTooLarge) return problem(413, "Content Too Large", `The body is larger than ${MAX_BODY_BYTES / 1024} kB.`);
  if (error instanceof ValidationProblem) return problem(422, "Unprocessable Content", error.message, { errors: error.errors });
  if (error instanceof UnauthenticatedError) return problem(401, "Unauthorized", error.message);
  if (error instanceof ForbiddenError) return problem(403, "Forbidden", error.message);
  if (error instanceof NotFoundError) return problem(404, "Not Found", error.message);
  if (error instanceof ConflictError) return problem(409, "Conflict", error.message, error.field ? { errors: [{ path: error.field, message: error.message }] } : {});
  if (error instanceof InvalidInputError) return problem(422, "Unprocessable Content", error.message, { errors: [{ path: error.field ?? "", message: error.message }] });
  if (error instanceof AppError) return problem(422, "Unprocessable Content", error.message);
  if (error instanceof MailmanError || error instanceof MailmanTransportError) return problem(502, "Bad Gateway", error.userMessage);
  const reference = randomUUID().slice(0, 8);
  logger.error({ err: error, reference }, "unexpected error in API call");
  return problem(500, "Internal Server Error", `Something went wrong on the server (reference ${reference}).`, { reference });
}

