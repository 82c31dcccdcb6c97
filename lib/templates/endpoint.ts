import { createHash, timingSafeEqual } from "node:crypto";
import { logger } from "@/lib/logger";
import { allowedAtScope, type TemplateScope } from "./catalogue";
import { loadEndpointCredentials, publishedTemplateText, SITE_SEGMENT, type TemplateOwner } from "./templates";

/**
 * The template endpoint the Mailman core fetches published templates from
 * (`/api/templates/{targetId}/{scope}/{scopeId}/{name}`). It sits outside the session guard (the
 * core has no session) and serves a text only to the HTTP Basic credentials Listkeeper generated
 * for that target and handed to the core with the URI. Everyone else gets 401 and an empty body,
 * whether the template exists or not.
 *
 * while the core cannot reach this endpoint it holds outgoing mail, so it does two indexed
 * reads and nothing else: no core call, no session lookup.
 */
export interface EndpointParams {
  targetId: string;
  scope: string;
  scopeId: string;
  name: string;
}

const SCOPES: readonly TemplateScope[] = ["list", "domain", "site"];

function unauthorized(): Response {
  return new Response(null, {
    status: 401,
    headers: { "www-authenticate": 'Basic realm="listkeeper-templates", charset="UTF-8"', "cache-control": "no-store" },
  });
}

function notFound(): Response {
  // The core reads a 404 as "this template is intentionally empty" (console.md §3.3).
  return new Response(null, { status: 404, headers: { "cache-control": "no-store" } });
}

function parseBasic(header: string | null): { username: string; password: string } | null {
  if (!header) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Compares digests, so neither the content nor the length of the secret leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}

function parseOwner(params: EndpointParams): TemplateOwner | null {
  if (!/^[1-9]\d{0,9}$/.test(params.targetId)) return null;
  const scope = SCOPES.find((s) => s === params.scope);
  if (!scope) return null;
  const scopeId = scope === "site" ? (params.scopeId === SITE_SEGMENT ? "" : null) : params.scopeId;
  if (scopeId === null || (scope !== "site" && (scopeId === "" || scopeId.length > 320))) return null;
  return { targetId: Number(params.targetId), scope, scopeId };
}

/** Route params arrive URL-decoded from Next; tests may pass them either way. */
function decodeParams(params: EndpointParams): EndpointParams | null {
  try {
    return {
      targetId: decodeURIComponent(params.targetId),
      scope: decodeURIComponent(params.scope),
      scopeId: decodeURIComponent(params.scopeId),
      name: decodeURIComponent(params.name),
    };
  } catch {
    return null;
  }
}

export async function handleTemplateRequest(request: Request, rawParams: EndpointParams): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    return new Response(null, { status: 405, headers: { allow: "GET, HEAD" } });
  }
  const params = decodeParams(rawParams);
  const owner = params ? parseOwner(params) : null;
  const given = parseBasic(request.headers.get("authorization"));
  // Authentication comes first and does not depend on the template: without the target's
  // credentials nobody learns which templates exist.
  if (!owner || !given) return unauthorized();
  let expected: { username: string; password: string } | null;
  try {
    expected = await loadEndpointCredentials(owner.targetId);
  } catch (error) {
    logger.error({ err: { message: (error as Error).message }, targetId: owner.targetId }, "template endpoint: credentials unreadable");
    // Not 404: the core would send the template empty. Any other error makes it fall back.
    return new Response(null, { status: 503, headers: { "cache-control": "no-store" } });
  }
  const userOk = sameSecret(given.username, expected?.username ?? "\u0000no-user");
  const passwordOk = sameSecret(given.password, expected?.password ?? "\u0000no-password");
  if (!expected || !userOk || !passwordOk) return unauthorized();

  if (!params || !allowedAtScope(params.name, owner.scope)) return notFound();
  const text = await publishedTemplateText(owner, params.name);
  if (text === null) return notFound();
  return new Response(request.method === "HEAD" ? null : text, {
    status: 200,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" },
  });
}
