import { z } from "zod";
import { auditDoor, noteChange, withAuditScope, type AuditAction } from "@/lib/audit";
import { UnauthenticatedError } from "@/lib/errors";
import { connectorForToken, type Connector } from "@/lib/scim/connectors";
import { ScimProblem, scimResponse, toScimError } from "@/lib/scim/errors";
import { bearerToken, MAX_BODY_BYTES } from "./endpoint";

/**
 * The SCIM variant of the entry layer (lib/entry/endpoint.ts): the same bearer parsing, but the
 * token is a SCIM connector's (never a session, never an API token), errors are SCIM error
 * messages (RFC 7644 §3.12, `application/scim+json`) and every successful write leaves an audit
 * row attributed to the connector. Route files under app/scim/v2 are one call of `scimEndpoint`.
 */

export interface ScimCall<P> {
  connector: Connector;
  params: P;
  url: URL;
  /** `<origin>/scim/v2`, for `meta.location` and `$ref`. */
  base: string;
  /** `If-Match` (RFC 7644 §3.14), checked against the resource's version by lib/scim. */
  ifMatch: string | null;
  /** The parsed JSON body (`application/scim+json` or `application/json`), undefined for none. */
  body: unknown;
  request: Request;
}

export interface ScimResult {
  status?: number;
  body?: unknown;
  /** The resource's `meta.version`, sent as `ETag`. */
  etag?: string;
  location?: string;
  /** Provisioning jobs the change queued: sent as `X-Listkeeper-Job-Ids` (the API's `jobIds`). */
  jobIds?: readonly number[];
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

async function authenticate(request: Request): Promise<Connector> {
  const token = bearerToken(request);
  const connector = token ? await connectorForToken(token) : null;
  if (!connector) throw new UnauthenticatedError("Missing, invalid or revoked SCIM bearer token.");
  return connector;
}

async function readBody(request: Request): Promise<unknown> {
  if (request.method === "GET" || request.method === "DELETE" || request.method === "HEAD") return undefined;
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) throw new ScimProblem(413, `The body is larger than ${MAX_BODY_BYTES / 1024} kB.`);
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new ScimProblem(413, `The body is larger than ${MAX_BODY_BYTES / 1024} kB.`);
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ScimProblem(400, "The body is not valid JSON.", "invalidSyntax");
  }
}

export function scimEndpoint<P extends z.ZodType = z.ZodUndefined>(spec: { params?: P; audit?: AuditAction }, handler: (call: ScimCall<z.infer<P>>) => Promise<ScimResult>) {
  return async (request: Request, context?: RouteContext): Promise<Response> => {
    try {
      const connector = await authenticate(request);
      const url = new URL(request.url);
      const attempt = spec.audit && request.method !== "GET" ? { action: spec.audit, subject: url.pathname, detail: { method: request.method } } : undefined;
      return await withAuditScope(auditDoor.scim(connector.name), async () => {
        const raw = context ? await context.params : {};
        const parsed = spec.params ? spec.params.safeParse(raw) : { success: true as const, data: undefined };
        if (!parsed.success) throw new ScimProblem(404, "There is no such resource.");
        const result = await handler({
          connector,
          params: parsed.data as z.infer<P>,
          url,
          base: `${url.origin}/scim/v2`,
          ifMatch: request.headers.get("if-match"),
          body: await readBody(request),
          request,
        });
        if (spec.audit && request.method !== "GET") {
          await noteChange({ action: spec.audit, subject: url.pathname, detail: { method: request.method, status: result.status ?? 200, jobIds: result.jobIds ?? [] } });
        }
        const headers: Record<string, string> = {};
        if (result.etag) headers.etag = result.etag;
        if (result.location) headers.location = result.location;
        if (result.jobIds) headers["x-listkeeper-job-ids"] = result.jobIds.join(",");
        return scimResponse(result.status ?? 200, result.body, headers);
      }, { attempt, describeError: (error) => (error instanceof ScimProblem ? error.message : null) });
    } catch (error) {
      return toScimError(error);
    }
  };
}
