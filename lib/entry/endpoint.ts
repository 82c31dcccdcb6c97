import { randomUUID } from "node:crypto";
import { z } from "zod";
import { auditDoor, noteChange, withAuditScope, type AuditAction, type AuditDoor } from "@/lib/audit";
import { viewerForToken } from "@/lib/auth/api-tokens";
import type { Viewer } from "@/lib/auth/users";
import { AppError, ConflictError, ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { MailmanError, MailmanTransportError } from "@/lib/mailman/errors";
import { MAX_ID, pageNumber } from "@/lib/validation/ids";

/**
 * The one entry-point layer of the JSON API (and of anything else that takes outside input):
 * the guard, zod parsing of path, query and body, error shaping as problem+json (RFC 9457) and
 * the audit row, written once. Route files are one call of `endpoint(...)`.
 */

export type Access = "signed_in" | "superuser";

export interface EndpointSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** Recorded after the call, with the path as the subject: ok, or failed with the error's message. */
  audit?: AuditAction;
}

export interface Call<P, Q, B> {
  viewer: Viewer;
  params: P;
  query: Q;
  body: B;
  request: Request;
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

export class ValidationProblem extends Error {
  constructor(readonly errors: { path: string; message: string }[]) {
    super("The input is not valid.");
  }
}

/** The token of an `Authorization: Bearer …` header; "" for another scheme; null without a header. */
export function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  if (!header) return null;
  return /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? "";
}

/** Session cookie (pages' guard) or `Authorization: Bearer` (API tokens): the same Viewer. */
async function authenticate(request: Request): Promise<{ viewer: Viewer; door: AuditDoor }> {
  const token = bearerToken(request);
  if (token !== null) {
    const found = token ? await viewerForToken(token) : null;
    if (!found) throw new UnauthenticatedError("Missing or invalid API token.");
    return { viewer: found.viewer, door: auditDoor.apiToken(found.viewer.id, found.tokenName) };
  }
  const { requireViewer } = await import("@/lib/auth/guard");
  const viewer = await requireViewer();
  return { viewer, door: auditDoor.user(viewer.id) };
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, prefix: string): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationProblem(result.error.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join("."), message: i.message })));
}

export function problem(status: number, title: string, detail: string, extra: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify({ type: "about:blank", title, status, detail, ...extra }), {
    status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store" },
  });
}

/** No call of the API needs more: 10,000 addresses in one body are about 400 kB. */
export const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

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

const ID = /^\d+$/;

/** Path segments that are numeric ids arrive as numbers (api-v1.md: ids are JSON numbers). */
export const idParam = z
  .string()
  .regex(ID, "not an id")
  .transform(Number)
  // Ids are PostgreSQL integers: a longer number names nothing (and must not reach the database).
  .refine((n) => n <= MAX_ID, "not an id");

export function endpoint<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
  spec: EndpointSpec<P, Q, B>,
  handler: (call: Call<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<unknown>,
  options: { status?: number } = {},
) {
  async function handle(viewer: Viewer, request: Request, context?: RouteContext): Promise<Response> {
    if (spec.access === "superuser" && !viewer.isSuperuser) throw new ForbiddenError("Only Listkeeper superusers may do that.");
    const params = parse(spec.params, context ? await context.params : {}, "");
    const url = new URL(request.url);
    const query = parse(spec.query, Object.fromEntries(url.searchParams), "");
    let raw: unknown = undefined;
    if (spec.body) {
      const declared = Number(request.headers.get("content-length") ?? 0);
      if (declared > MAX_BODY_BYTES) throw new BodyTooLarge();
      const text = await request.text();
      if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new BodyTooLarge();
      try {
        raw = text ? JSON.parse(text) : {};
      } catch {
        throw new ValidationProblem([{ path: "", message: "The body is not valid JSON." }]);
      }
    }
    const body = parse(spec.body, raw, "");
    const result = await handler({ viewer, params, query, body, request });
    if (spec.audit) await noteChange({ action: spec.audit, subject: url.pathname, detail: { method: request.method } });
    return new Response(JSON.stringify(result ?? {}), {
      status: options.status ?? 200,
      headers: { "content-type": "application/json", "cache-control": "no-store" },
    });
  }

  return async (request: Request, context?: RouteContext): Promise<Response> => {
    try {
      const { viewer, door } = await authenticate(request);
      // The one audit scope of the call: every change described below is written with this
      // door (an API token or the console) when the call ends; a failure leaves a failed row.
      const attempt = spec.audit ? { action: spec.audit, subject: new URL(request.url).pathname, detail: { method: request.method } } : undefined;
      return await withAuditScope(door, () => handle(viewer, request, context), { attempt });
    } catch (error) {
      return toProblem(error);
    }
  };
}

/** `?page=1&perPage=50` (max 500), as every list of resources takes. */
export const pageQuery = z.object({
  page: pageNumber,
  perPage: z.coerce.number().int().min(1).max(500).default(50),
});

export const dryRunQuery = z.object({ dryRun: z.enum(["true", "false"]).default("false").transform((v) => v === "true") });
