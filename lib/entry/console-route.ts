import "server-only";
import { redirect } from "next/navigation";
import { describeActionError } from "@/lib/actions/action-failure";
import { ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from "@/lib/errors";
import { errorStatus } from "./errors";

/**
 * How the console's own route handlers (the browser's fetches: badges, exports, job status,
 * attachments) answer an error: the status of the entry layer's one table (lib/entry/endpoint.ts
 * `errorStatus`) with `{ error, reference? }`, the message an action would show. A link followed
 * in the browser (a CSV download) gets the sign-in, refused or missing page like any page.
 */
export function consoleRouteError(error: unknown, request?: Request): Response {
  if (request && isNavigation(request)) {
    if (error instanceof UnauthenticatedError) {
      const url = new URL(request.url);
      redirect(`/login?callbackUrl=${encodeURIComponent(`${url.pathname}${url.search}`)}`);
    }
    // forbidden() and notFound() render nothing from a route handler: a page does it.
    if (error instanceof ForbiddenError) redirect("/refused/forbidden");
    if (error instanceof NotFoundError) redirect("/refused/missing");
  }
  const failure = describeActionError(error instanceof Error ? error : new Error(String(error)));
  return Response.json({ error: failure.message, ...(failure.reference ? { reference: failure.reference } : {}) }, { status: errorStatus(error), headers: { "cache-control": "no-store" } });
}

/** A top-level browser navigation (following a link), not a fetch() or an API client. */
export function isNavigation(request: Request): boolean {
  const mode = request.headers.get("sec-fetch-mode");
  if (mode) return mode === "navigate";
  const accept = request.headers.get("accept") ?? "";
  return accept.includes("text/html");
}

/** A route's query string parsed with `schema`; a refusal names each field. */
export function parseSearchParams<T>(request: Request, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }): T {
  const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new InvalidInputError(parsed.error.issues.map((i) => `${i.path.map(String).join(".") || "input"}: ${i.message}`).join("; "));
  return parsed.data;
}
