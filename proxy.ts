import { NextResponse, type NextRequest } from "next/server";
import { env, oidcEnabled, secureCookies } from "@/lib/env";
import { startListPageReads } from "@/lib/lists/early-reads";
import { EARLY_READS_HEADER } from "@/lib/lists/early-reads-store";
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

export async function proxy(request: NextRequest) {
  const policy = contentSecurityPolicy({ nonce: newNonce(), dev: process.env.NODE_ENV === "development", https: secureCookies, formTargets });
  const refusal = actionBodyRefusal(request.method, request.headers);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  // Only the proxy names a request's early reads; a client's own header of that name goes.
  requestHeaders.delete(EARLY_READS_HEADER);
  const earlyReads = refusal ? null : startListPageReads(request.method, request.nextUrl, request.headers);
  if (earlyReads) {
    requestHeaders.set(EARLY_READS_HEADER, earlyReads);
    // Two turns of the event loop, so that the GETs' requests are written now: their connections
    // complete in the second turn's poll phase (the core closes every connection, so each GET
    // opens one). Past the proxy, Next.js's render set-up keeps the loop from turning for several
    // milliseconds, and the GETs would wait for it. A core farther away connects later anyway.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  }
  const response = refusal
    ? new NextResponse(refusal.message, { status: refusal.status, headers: { "content-type": "text/plain; charset=utf-8" } })
    : NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
  if (secureCookies) response.headers.set("strict-transport-security", "max-age=31536000");
  return response;
}
