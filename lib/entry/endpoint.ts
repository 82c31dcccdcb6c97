import { z } from "zod";
import type { Viewer } from "@/lib/auth/users";
import { pageNumber } from "@/lib/validation/ids";
import { route, type RouteSpec } from "./route";

export { bearerToken, type Access } from "./route";
export { BodyTooLarge, errorStatus, MAX_BODY_BYTES, problem, toProblem, ValidationProblem } from "./errors";

/**
 * The JSON API's door of the one entry-point layer (lib/entry/route.ts): the guard, zod parsing
 * of path, query and body, error shaping as problem+json (RFC 9457) and the audit row, written
 * once there.
 */

export interface Call<P, Q, B> {
  viewer: Viewer;
  params: P;
  query: Q;
  body: B;
  request: Request;
}

export { idParam } from "@/lib/validation/ids";

/**
 * A JSON API route: `route` (lib/entry/route.ts) through the API's door, which also takes bearer
 * tokens and answers errors as problem+json. Route files under app/api/v1 are one call of it.
 */
export function endpoint<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
  spec: Omit<RouteSpec<P, Q, B, never>, "door" | "list" | "listRead">,
  handler: (call: Call<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<unknown>,
  options: { status?: number } = {},
) {
  return route<P, Q, B>({ ...spec, door: "api" }, handler, options);
}

/** `?page=1&perPage=50` (max 500), as every list of resources takes. */
export const pageQuery = z.object({
  page: pageNumber,
  perPage: z.coerce.number().int().min(1).max(500).default(50),
});

export const dryRunQuery = z.object({ dryRun: z.enum(["true", "false"]).default("false").transform((v) => v === "true") });
