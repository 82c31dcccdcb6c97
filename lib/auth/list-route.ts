import "server-only";
import { describeActionError } from "@/lib/actions/safe-action";
import { ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from "@/lib/errors";
import { redirect } from "next/navigation";
import { requireViewer } from "./guard";
import { authorizeList, type ListAccess } from "./list-access";
import type { ListCapability } from "./roles";

type ListParams = Promise<{ targetId: string; listId: string } & Record<string, string>>;

/**
 * A route handler under /lists/[targetId]/[listId]/…: the guard reloads the viewer and checks
 * `capability` on the list before `handler` runs; typed errors become JSON answers with the right
 * status, and nothing else reaches the client.
 */
export function listRoute(
  capability: ListCapability,
  handler: (access: ListAccess, params: Record<string, string>, request: Request) => Promise<Response>,
) {
  return async (request: Request, { params }: { params: ListParams }): Promise<Response> => {
    try {
      const viewer = await requireViewer();
      const raw = await params;
      const targetId = Number(raw.targetId);
      if (!Number.isInteger(targetId) || targetId < 1) throw new NotFoundError("That server does not exist.");
      let listId: string;
      try {
        listId = decodeURIComponent(raw.listId);
      } catch {
        throw new NotFoundError("That list does not exist.");
      }
      const access = await authorizeList(viewer, targetId, listId, capability);
      return await handler(access, raw, request);
    } catch (error) {
      // A link followed in the browser (a CSV download) gets the sign-in, 403 or 404 page like
      // any page; fetch and API callers keep the JSON answer.
      if (isNavigation(request)) {
        if (error instanceof UnauthenticatedError) {
          const url = new URL(request.url);
          redirect(`/login?callbackUrl=${encodeURIComponent(`${url.pathname}${url.search}`)}`);
        }
        // forbidden() and notFound() render nothing from a route handler: a page does it.
        if (error instanceof ForbiddenError) redirect("/refused/forbidden");
        if (error instanceof NotFoundError) redirect("/refused/missing");
      }
      const status =
        error instanceof UnauthenticatedError ? 401 : error instanceof ForbiddenError ? 403 : error instanceof NotFoundError ? 404 : error instanceof InvalidInputError ? 400 : 500;
      const failure = describeActionError(error as Error);
      return Response.json({ error: failure.message, ...(failure.reference ? { reference: failure.reference } : {}) }, { status, headers: { "cache-control": "no-store" } });
    }
  };
}

/** A top-level browser navigation (following a link), not a fetch() or an API client. */
export function isNavigation(request: Request): boolean {
  const mode = request.headers.get("sec-fetch-mode");
  if (mode) return mode === "navigate";
  const accept = request.headers.get("accept") ?? "";
  return accept.includes("text/html");
}

export function parseQuery<T>(request: Request, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }): T {
  const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new InvalidInputError(parsed.error.issues.map((i) => `${i.path.map(String).join(".") || "input"}: ${i.message}`).join("; "));
  return parsed.data;
}
