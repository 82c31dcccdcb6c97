import { decode, getToken } from "next-auth/jwt";

/**
 * The signed-in account of a request, read straight from next-auth's session cookie with
 * next-auth's own `getToken` (decryption, expiry, chunked cookies). `auth()` gives the same answer
 * but builds it by running the whole session endpoint inside the request (a CSRF token, the
 * callbacks, a re-encrypted cookie that a server component cannot even set, a Response parsed
 * back): 2 ms of every page's 12 (issue 13). Only the account id travels in the token
 * (lib/auth/auth.ts), so nothing else is lost.
 *
 * Decrypting the token is itself a chain of WebCrypto calls, each a trip through libuv's thread
 * pool (about 1 ms in all). A token that decrypted once is remembered by its exact text until it
 * expires: the same text can only decrypt to the same account, and a forged or altered token
 * never enters the memory.
 */

type Env = Record<string, string | undefined>;

/**
 * The secrets next-auth itself uses (@auth/core `setEnvDefaults`): AUTH_SECRET_1…3 first, for
 * rotation, then AUTH_SECRET.
 */
export function sessionSecrets(env: Env = process.env): string[] {
  const secrets: string[] = [];
  if (env.AUTH_SECRET) secrets.push(env.AUTH_SECRET);
  for (const i of [1, 2, 3]) {
    const secret = env[`AUTH_SECRET_${i}`];
    if (secret) secrets.unshift(secret);
  }
  return secrets;
}

/**
 * Whether next-auth named its cookies `__Secure-…` for this request: as @auth/core decides, from
 * AUTH_URL when set, else from the request's forwarded protocol (https when none is given).
 */
export function usesSecureCookies(requestHeaders: Headers, env: Env = process.env): boolean {
  const configured = env.AUTH_URL ?? env.NEXTAUTH_URL;
  if (configured) return new URL(configured).protocol === "https:";
  const protocol = requestHeaders.get("x-forwarded-proto") ?? "https";
  return protocol.replace(/:$/, "") === "https";
}

/** jose's leeway for `exp` in next-auth's `decode`, kept for remembered tokens too. */
const CLOCK_TOLERANCE_MS = 15_000;
const REMEMBERED_MAX = 1_000;

interface Remembered {
  uid: string;
  /** The token's `exp`, in ms. */
  expiresAt: number;
  /** The secrets and cookie name it was decrypted with. */
  keyedBy: string;
}

/** Insertion-ordered: the oldest entry is dropped first. */
const remembered = new Map<string, Remembered>();

/** The account id of the request's session cookie, or null (none, expired, forged, another secret). */
export async function sessionUserId(requestHeaders: Headers, env: Env = process.env, now: number = Date.now()): Promise<string | null> {
  const secret = sessionSecrets(env);
  if (secret.length === 0) return null;
  const secureCookie = usesSecureCookies(requestHeaders, env);
  const cookieName = `${secureCookie ? "__Secure-" : ""}authjs.session-token`;
  // Only the cookie: getToken would also take an `Authorization: Bearer` header for a session,
  // and that header carries the API's own tokens (lib/auth/api-tokens.ts). `raw` joins a chunked
  // cookie and stops there.
  const token = await getToken({ req: { headers: new Headers({ cookie: requestHeaders.get("cookie") ?? "" }) }, secret, secureCookie, cookieName, raw: true });
  if (!token) return null;
  const keyedBy = `${cookieName}\n${secret.join("\n")}`;
  const known = remembered.get(token);
  if (known && known.keyedBy === keyedBy) {
    if (now <= known.expiresAt + CLOCK_TOLERANCE_MS) return known.uid;
    remembered.delete(token);
    return null;
  }
  let payload: { uid?: unknown; exp?: unknown } | null;
  try {
    payload = await decode({ token, secret, salt: cookieName });
  } catch {
    return null;
  }
  const uid = payload?.uid;
  if (typeof uid !== "string") return null;
  if (typeof payload?.exp === "number") {
    if (remembered.size >= REMEMBERED_MAX) remembered.delete(remembered.keys().next().value!);
    remembered.set(token, { uid, expiresAt: payload.exp * 1000, keyedBy });
  }
  return uid;
}
