import { NextResponse, type NextRequest } from "next/server";
import { env, oidcEnabled, secureCookies } from "@/lib/env";
import { actionBodyRefusal } from "@/lib/security/action-body-limit";
import { contentSecurityPolicy, newNonce, STATIC_SECURITY_HEADERS } from "@/lib/security/headers";

/**
 * Next.js proxy (middleware), run for every request, files included: the security headers
 * (lib/security/headers.ts) and a fresh CSP nonce. Next.js reads the nonce from the request's
 * Content-Security-Policy header and puts it on every script it renders, so pages must render
 * per request (they all read the session). Server action bodies past the limit are refused here
 * (lib/security/action-body-limit.ts).
 */

const formTargets = oidcEnabled && env.AUTH_OIDC_ISSUER ? [new URL(env.AUTH_OIDC_ISSUER).origin] : [];

export function proxy(request: NextRequest) {
  const policy = contentSecurityPolicy({ nonce: newNonce(), dev: process.env.NODE_ENV === "development", https: secureCookies, formTargets });
  const refusal = actionBodyRefusal(request.method, request.headers);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  const response = refusal
    ? new NextResponse(refusal.message, { status: refusal.status, headers: { "content-type": "text/plain; charset=utf-8" } })
    : NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
  if (secureCookies) response.headers.set("strict-transport-security", "max-age=31536000");
  return response;
}
