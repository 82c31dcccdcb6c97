/**
 * Expected failures: their message is written for the person using Listkeeper and is shown as is
 * (next to a field when `field` is set). Anything else is logged and shown as a generic message
 * with a reference id (lib/actions/safe-action.ts).
 */
export class AppError extends Error {
  readonly field: string | undefined;
  constructor(message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.field = options.field;
  }
}

export class InvalidInputError extends AppError {}
export class NotFoundError extends AppError {}
export class ConflictError extends AppError {}
/** The viewer is signed in but may not do this. */
export class ForbiddenError extends AppError {
  constructor(message = "You do not have permission to do that.") {
    super(message);
  }
}
/** Nobody is signed in (or the account was disabled since the session began). */
export class UnauthenticatedError extends AppError {
  constructor(message = "Please sign in again.") {
    super(message);
  }
}
/** The Mailman core refused or could not be reached; the message is the core's, in plain words. */
export class UpstreamError extends AppError {}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
