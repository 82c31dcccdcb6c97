import "server-only";
import { NextResponse } from "next/server";
import { z } from "zod";
import { describeActionError } from "@/lib/actions/safe-action";
import { ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from "@/lib/errors";
import { requireViewer } from "./guard";
import type { Viewer } from "./users";

/**
 * Wraps a route handler: the guard runs first, query parameters are parsed with `schema`, and
 * typed errors become JSON answers with the right status. Nothing else reaches the client.
 */
export function guardedRoute<S extends z.ZodType>(
  schema: S,
  handler: (input: z.infer<S>, viewer: Viewer, request: Request) => Promise<unknown>,
) {
  return async (request: Request): Promise<Response> => {
    try {
      const viewer = await requireViewer();
      const url = new URL(request.url);
      const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
      if (!parsed.success) {
        throw new InvalidInputError(parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "));
      }
      return NextResponse.json(await handler(parsed.data, viewer, request), { headers: { "cache-control": "no-store" } });
    } catch (error) {
      const status =
        error instanceof UnauthenticatedError ? 401 : error instanceof ForbiddenError ? 403 : error instanceof NotFoundError ? 404 : error instanceof InvalidInputError ? 400 : 500;
      const failure = describeActionError(error as Error);
      return NextResponse.json({ error: failure.message, ...(failure.reference ? { reference: failure.reference } : {}) }, { status });
    }
  };
}
