import "server-only";
import { NextResponse } from "next/server";
import { z } from "zod";
import { auditDoor, withAuditScope } from "@/lib/audit";
import { consoleRouteError, parseSearchParams } from "@/lib/entry/console-route";
import { requireViewer } from "./guard";
import type { Viewer } from "./users";

/**
 * Wraps a route handler: the guard runs first, query parameters are parsed with `schema`, and
 * errors are answered by the entry layer (lib/entry/console-route.ts). Nothing else reaches the client.
 */
export function guardedRoute<S extends z.ZodType>(
  schema: S,
  handler: (input: z.infer<S>, viewer: Viewer, request: Request) => Promise<unknown>,
) {
  return async (request: Request): Promise<Response> => {
    try {
      const viewer = await requireViewer();
      const input = parseSearchParams<z.infer<S>>(request, schema);
      const result = await withAuditScope(auditDoor.user(viewer.id), () => handler(input, viewer, request));
      return NextResponse.json(result, { headers: { "cache-control": "no-store" } });
    } catch (error) {
      return consoleRouteError(error);
    }
  };
}
