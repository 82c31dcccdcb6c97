/**
 * The response headers every page, route and file gets (pure: set by proxy.ts, tested here and
 * in the browser by e2e/security-headers.spec.ts).
 *
 * Scripts run only with the per-request nonce that Next.js puts on its own tags (it reads it from
 * the Content-Security-Policy request header the proxy sets), and 'strict-dynamic' lets those
 * scripts load the app's chunks. No 'unsafe-eval' outside `next dev`. Inline style attributes
 * stay allowed (`style-src-attr`): React renders a few (the progress bar's width) and they cannot
 * run code; <style> elements need the nonce.
 */

export interface CspOptions {
  nonce: string;
  /** `next dev`: React needs eval for its error overlays, and the dev server injects styles. */
  dev: boolean;
  /** Served over HTTPS: ask browsers to upgrade any stray http:// subresource. */
  https: boolean;
  /** Origins a sign-in form may be redirected to (the OIDC provider). */
  formTargets?: string[];
}

export function contentSecurityPolicy({ nonce, dev, https, formTargets = [] }: CspOptions): string {
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(dev ? ["'unsafe-eval'"] : [])],
    ["style-src", "'self'", ...(dev ? ["'unsafe-inline'"] : [`'nonce-${nonce}'`])],
    ["style-src-attr", "'unsafe-inline'"],
    ["img-src", "'self'", "data:"],
    ["font-src", "'self'"],
    ["connect-src", "'self'"],
    ["object-src", "'none'"],
    ["base-uri", "'none'"],
    ["form-action", "'self'", ...formTargets],
    ["frame-ancestors", "'none'"],
    ...(https ? ([["upgrade-insecure-requests"]] as [string][]) : []),
  ];
  return directives.map((d) => d.join(" ")).join("; ");
}

/** The same for every response, pages and files alike. */
export const STATIC_SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  // frame-ancestors 'none' for browsers that predate CSP level 2.
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  // A private console: keep every URL out of search indexes, files included.
  "X-Robots-Tag": "noindex, nofollow",
};

export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
