import { ZodError } from "zod";
import { ScimError as PatchLibraryError } from "scim-patch";
import { randomUUID } from "node:crypto";
import { AppError, ConflictError, InvalidInputError, NotFoundError, UnauthenticatedError } from "@/lib/errors";
import { logger } from "@/lib/logger";

/** RFC 7644 §3.12: every SCIM error is this message, with `status` as a string. */
export const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
export const SCIM_CONTENT_TYPE = "application/scim+json";

export type ScimType = "invalidFilter" | "tooMany" | "uniqueness" | "mutability" | "invalidSyntax" | "invalidPath" | "noTarget" | "invalidValue" | "invalidVers" | "sensitive";

export class ScimProblem extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly scimType?: ScimType,
  ) {
    super(detail);
  }
}

export function scimResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": SCIM_CONTENT_TYPE, "cache-control": "no-store", ...headers },
  });
}

export function scimErrorBody(status: number, detail: string, scimType?: ScimType) {
  return { schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail };
}

/** Any error of a SCIM call as a SCIM error response; unexpected ones logged with a reference. */
export function toScimError(error: unknown): Response {
  const out = (status: number, detail: string, scimType?: ScimType) => scimResponse(status, scimErrorBody(status, detail, scimType), status === 401 ? { "www-authenticate": 'Bearer realm="scim"' } : {});
  if (error instanceof ScimProblem) return out(error.status, error.message, error.scimType);
  if (error instanceof UnauthenticatedError) return out(401, error.message);
  if (error instanceof NotFoundError) return out(404, error.message);
  if (error instanceof ConflictError) return out(409, error.message, "uniqueness");
  if (error instanceof InvalidInputError) return out(400, error.message, "invalidValue");
  if (error instanceof AppError) return out(400, error.message, "invalidValue");
  if (error instanceof ZodError) return out(400, error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "), "invalidValue");
  if (error instanceof PatchLibraryError) return out(400, error.message, "invalidValue");
  const reference = randomUUID().slice(0, 8);
  logger.error({ err: error, reference }, "unexpected error in SCIM call");
  return out(500, `Something went wrong on the server (reference ${reference}).`);
}
