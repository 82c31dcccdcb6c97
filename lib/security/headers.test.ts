import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce, STATIC_SECURITY_HEADERS } from "./headers";

describe("content security policy", () => {
  it("in production: scripts by nonce only, no eval, no framing", () => {
    const policy = contentSecurityPolicy({ nonce: "abc", dev: false, https: false });
    expect(policy).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(policy).not.toMatch(/unsafe-eval/);
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain("upgrade-insecure-requests");
  });

  it("allows eval only in development, and lets sign-in forms reach the identity provider", () => {
    expect(contentSecurityPolicy({ nonce: "n", dev: true, https: false })).toMatch(/script-src [^;]*'unsafe-eval'/);
    const policy = contentSecurityPolicy({ nonce: "n", dev: false, https: true, formTargets: ["https://id.example.org"] });
    expect(policy).toContain("form-action 'self' https://id.example.org");
    expect(policy).toContain("upgrade-insecure-requests");
  });

  it("has fresh nonces and the fixed headers", () => {
    expect(newNonce()).not.toBe(newNonce());
    expect(newNonce()).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(STATIC_SECURITY_HEADERS).toMatchObject({ "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin" });
  });
});
