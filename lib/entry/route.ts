import { z } from "zod";
import { auditDoor, noteChange, withAuditScope, type AuditAction, type AuditDoor } from "@/lib/audit";
import { viewerForToken } from "@/lib/auth/api-tokens";
import { authorizeListWith, type ListAccess, type ListRef } from "@/lib/auth/list-access";
import type { ListCapability } from "@/lib/auth/roles";
import type { Viewer } from "@/lib/auth/users";
import { ForbiddenError, InvalidInputError, UnauthenticatedError } from "@/lib/errors";
import { MAX_ID } from "@/lib/validation/ids";
import { consoleRouteError } from "./console-route";
import { BodyTooLarge, MAX_BODY_BYTES, toProblem, ValidationProblem } from "./errors";

/**
 * The one wrapper of every route handler that takes outside input: the JSON API (`endpoint`,
 * lib/entry/endpoint.ts) and the console's own routes (badges, exports, job status, attachments,
 * `consoleRoute`). The guard, zod parsing of path, query and body, the list guard of routes under
 * /lists/[targetId]/[listId], error shaping and the audit row are written here once; the doors
 * differ only in who may knock (a bearer token is the API's alone) and in how errors read.
 */

export type Access = "signed_in" | "superuser";

/**
 * - api: session cookie or `Authorization: Bearer` token; errors as problem+json (RFC 9457).
 * - console: the session only (the browser's fetches and followed links); errors as
 *   `{ error, reference? }`, a followed link gets the sign-in, refused or missing page.
 */
export type Door = "api" | "console";

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, D> {
  door: Door;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * A route of one list: the path's `targetId` and `listId`, and what the viewer must be able to
   * do there. The guard's `ListAccess` reaches the handler as `list`.
   */
  list?: ListCapability;
  /** A read of the list started beside the list guard (one round trip); dropped unread on a refusal. */
  listRead?: (ref: ListRef, targetId: number) => Promise<D>;
  /** Recorded after the call, with the path as the subject: ok, or failed with the error's message. */
  audit?: AuditAction;
}

export interface RouteCall<P, Q, B, D = never> {
  viewer: Viewer;
  params: P;
  query: Q;
  body: B;
  request: Request;
  /** The list guard's answer, for a spec with `list`. */
  list: ListAccess;
  /** `listRead`'s answer, for a spec with one. */
  listData: Promise<D>;
}

type RouteContext = { params?: Promise<Record<string, string | string[]> | undefined> };

/** The token of an `Authorization: Bearer …` header; "" for another scheme; null without a header. */
export function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  if (!header) return null;
  return /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? "";
}

/** Session cookie (pages' guard) or, on the API, `Authorization: Bearer`: the same Viewer. */
async function authenticate(request: Request, door: Door): Promise<{ viewer: Viewer; auditAs: AuditDoor }> {
  const token = door === "api" ? bearerToken(request) : null;
  if (token !== null) {
    const found = token ? await viewerForToken(token) : null;
    if (!found) throw new UnauthenticatedError("Missing or invalid API token.");
    return { viewer: found.viewer, auditAs: auditDoor.apiToken(found.viewer.id, found.tokenName) };
  }
  const { requireViewer } = await import("@/lib/auth/guard");
  const viewer = await requireViewer();
  return { viewer, auditAs: auditDoor.user(viewer.id) };
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationProblem(result.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })));
}

/** Path segments arrive percent-encoded (a list id may hold '@'); a broken escape is bad input. */
async function pathParams(context: RouteContext | undefined): Promise<Record<string, string>> {
  // A route without dynamic segments gets no params at all.
  const raw = (context ? await context.params : undefined) ?? {};
  const decoded: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (Array.isArray(value)) continue;
    try {
      decoded[key] = decodeURIComponent(value);
    } catch {
      throw new ValidationProblem([{ path: key, message: "not a valid URL segment" }]);
    }
  }
  return decoded;
}

const listPath = z.object({
  targetId: z.string().regex(/^\d+$/, "not an id").transform(Number).refine((n) => n >= 1 && n <= MAX_ID, "not an id"),
  listId: z.string().min(1).max(320),
});

async function readJsonBody(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw new BodyTooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new BodyTooLarge();
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new ValidationProblem([{ path: "", message: "The body is not valid JSON." }]);
  }
}

/** How each door answers an error. */
function answerError(door: Door, error: unknown, request: Request): Response {
  if (door === "api") return toProblem(error);
  // The console shows one line, as an action would: each field named.
  const shaped = error instanceof ValidationProblem ? new InvalidInputError(error.errors.map((e) => `${e.path || "input"}: ${e.message}`).join("; ")) : error;
  return consoleRouteError(shaped, request);
}

/**
 * A route handler. The handler returns a `Response` (a download, a stream), passed on as it is,
 * or a value answered as JSON with `options.status` (200) and `cache-control: no-store`.
 */
export function route<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined, D = never>(
  spec: RouteSpec<P, Q, B, D>,
  handler: (call: RouteCall<z.infer<P>, z.infer<Q>, z.infer<B>, D>) => Promise<unknown>,
  options: { status?: number } = {},
) {
  async function handle(viewer: Viewer, request: Request, context?: RouteContext): Promise<Response> {
    if (spec.access === "superuser" && !viewer.isSuperuser) throw new ForbiddenError("Only Listkeeper superusers may do that.");
    const rawParams = await pathParams(context);
    const params = parse(spec.params, rawParams);
    const url = new URL(request.url);
    const query = parse(spec.query, Object.fromEntries(url.searchParams));
    let list = undefined as unknown as ListAccess;
    let listData = undefined as unknown as Promise<D>;
    if (spec.list) {
      const ref = parse(listPath, rawParams);
      const listRead = spec.listRead;
      const read = listRead ? (r: ListRef) => listRead(r, ref.targetId) : () => Promise.resolve(undefined as D);
      ({ access: list, data: listData } = await authorizeListWith(viewer, ref.targetId, ref.listId, spec.list, read));
    }
    const body = spec.body ? parse(spec.body, await readJsonBody(request)) : (undefined as z.infer<B>);
    const result = await handler({ viewer, params, query, body, request, list, listData });
    if (spec.audit) await noteChange({ action: spec.audit, subject: url.pathname, detail: { method: request.method } });
    if (result instanceof Response) return result;
    return new Response(JSON.stringify(result ?? {}), {
      status: options.status ?? 200,
      headers: { "content-type": "application/json", "cache-control": "no-store" },
    });
  }

  return async (request: Request, context?: RouteContext): Promise<Response> => {
    try {
      const { viewer, auditAs } = await authenticate(request, spec.door);
      // The one audit scope of the call: every change described below is written with this
      // door (an API token or the console) when the call ends; a failure leaves a failed row.
      const attempt = spec.audit ? { action: spec.audit, subject: new URL(request.url).pathname, detail: { method: request.method } } : undefined;
      return await withAuditScope(auditAs, () => handle(viewer, request, context), { attempt });
    } catch (error) {
      return answerError(spec.door, error, request);
    }
  };
}

/** A console route handler (the session only; errors as the console shows them). */
export function consoleRoute<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, D = never>(
  spec: Omit<RouteSpec<P, Q, z.ZodUndefined, D>, "door" | "body">,
  handler: (call: RouteCall<z.infer<P>, z.infer<Q>, undefined, D>) => Promise<unknown>,
) {
  return route<P, Q, z.ZodUndefined, D>({ ...spec, door: "console" }, handler);
}
