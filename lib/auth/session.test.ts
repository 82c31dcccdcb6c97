import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { sessionSecrets, sessionUserId, usesSecureCookies } from "./session";

const uid = "4b0e7c1e-0d7a-4f55-9f7e-3d1f7f0f2a10";
const SECRET = "a session secret of thirty-two characters";
const httpEnv = { AUTH_SECRET: SECRET, AUTH_URL: "http://127.0.0.1:3000" };
const httpsEnv = { AUTH_SECRET: SECRET, AUTH_URL: "https://lists.example.org" };

/** A cookie as next-auth writes it after a sign-in (lib/auth/auth.ts puts only `uid` in it). */
async function sessionCookie(name: string, options: { secret?: string; maxAge?: number; token?: Record<string, unknown> } = {}) {
  const value = await encode({ token: options.token ?? { uid, sub: uid }, secret: options.secret ?? SECRET, salt: name, maxAge: options.maxAge ?? 3600 });
  return `${name}=${value}`;
}

const withCookie = (cookie: string, extra: Record<string, string> = {}) => new Headers({ cookie, ...extra });

describe("sessionUserId", () => {
  it("reads the account id from next-auth's cookie", async () => {
    expect(await sessionUserId(withCookie(await sessionCookie("authjs.session-token")), httpEnv)).toBe(uid);
  });

  it("finds nobody without a cookie, with a cookie of another secret, or with a mangled one", async () => {
    expect(await sessionUserId(new Headers(), httpEnv)).toBeNull();
    expect(await sessionUserId(withCookie(await sessionCookie("authjs.session-token", { secret: "another secret entirely, also long" })), httpEnv)).toBeNull();
    const good = await sessionCookie("authjs.session-token");
    expect(await sessionUserId(withCookie(`${good.slice(0, -4)}AAAA`), httpEnv)).toBeNull();
    expect(await sessionUserId(withCookie(good), { AUTH_URL: httpEnv.AUTH_URL })).toBeNull();
  });

  it("refuses an expired session", async () => {
    expect(await sessionUserId(withCookie(await sessionCookie("authjs.session-token", { maxAge: -60 })), httpEnv)).toBeNull();
  });

  it("does not take a cookie encrypted for another cookie name (the name is the key's salt)", async () => {
    const wrongSalt = (await sessionCookie("__Secure-authjs.session-token")).replace("__Secure-", "");
    expect(await sessionUserId(withCookie(wrongSalt), httpEnv)).toBeNull();
  });

  it("on https reads only the __Secure- cookie, as next-auth names it there", async () => {
    const secure = await sessionCookie("__Secure-authjs.session-token");
    const plain = await sessionCookie("authjs.session-token");
    expect(await sessionUserId(withCookie(secure), httpsEnv)).toBe(uid);
    expect(await sessionUserId(withCookie(plain), httpsEnv)).toBeNull();
  });

  it("ignores an Authorization: Bearer header: that is where API tokens travel", async () => {
    const token = (await sessionCookie("authjs.session-token")).split("=")[1]!;
    expect(await sessionUserId(new Headers({ authorization: `Bearer ${token}` }), httpEnv)).toBeNull();
  });

  it("reads a session sealed with a rotated-out secret while AUTH_SECRET_1 holds the new one", async () => {
    const old = await sessionCookie("authjs.session-token");
    expect(await sessionUserId(withCookie(old), { ...httpEnv, AUTH_SECRET_1: "the new secret, thirty-two chars long" })).toBe(uid);
  });

  it("remembers a token it decrypted only until the token expires", async () => {
    const cookie = withCookie(await sessionCookie("authjs.session-token", { maxAge: 120 }));
    const now = Date.now();
    expect(await sessionUserId(cookie, httpEnv, now)).toBe(uid);
    expect(await sessionUserId(cookie, httpEnv, now + 60_000)).toBe(uid);
    expect(await sessionUserId(cookie, httpEnv, now + 140_000)).toBeNull();
  });

  it("does not let a remembered token through under other secrets", async () => {
    const cookie = withCookie(await sessionCookie("authjs.session-token"));
    expect(await sessionUserId(cookie, httpEnv)).toBe(uid);
    expect(await sessionUserId(cookie, { ...httpEnv, AUTH_SECRET: "a replaced secret of thirty-two chars" })).toBeNull();
  });

  it("finds nobody in a token without an account id", async () => {
    expect(await sessionUserId(withCookie(await sessionCookie("authjs.session-token", { token: { sub: uid } })), httpEnv)).toBeNull();
  });
});

describe("usesSecureCookies", () => {
  it("follows AUTH_URL when set, else the forwarded protocol (https when none)", () => {
    expect(usesSecureCookies(new Headers({ "x-forwarded-proto": "https" }), { AUTH_URL: "http://localhost:3000" })).toBe(false);
    expect(usesSecureCookies(new Headers(), { AUTH_URL: "https://lists.example.org" })).toBe(true);
    expect(usesSecureCookies(new Headers({ "x-forwarded-proto": "http" }), {})).toBe(false);
    expect(usesSecureCookies(new Headers({ "x-forwarded-proto": "https" }), {})).toBe(true);
    expect(usesSecureCookies(new Headers(), {})).toBe(true);
  });
});

describe("sessionSecrets", () => {
  it("puts AUTH_SECRET_1…3 before AUTH_SECRET, as next-auth does", () => {
    expect(sessionSecrets({ AUTH_SECRET: "s", AUTH_SECRET_1: "one", AUTH_SECRET_3: "three" })).toEqual(["three", "one", "s"]);
    expect(sessionSecrets({})).toEqual([]);
  });
});
