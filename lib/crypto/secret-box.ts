import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

/**
 * AES-256-GCM with a versioned envelope: "v1.<iv>.<tag>.<ciphertext>" (base64url parts).
 * The associated data binds a ciphertext to the row and column it belongs to, so a value
 * copied into another row fails to decrypt instead of leaking another server's password.
 */
const VERSION = "v1";

export class SecretKeyMissingError extends Error {
  constructor() {
    super("LISTKEEPER_SECRET_KEY is not set: it must be 32 random bytes, base64-encoded (see README).");
  }
}

export function parseKey(encoded: string | undefined): Buffer {
  if (!encoded) throw new SecretKeyMissingError();
  const key = Buffer.from(encoded, "base64");
  if (key.length !== 32) throw new Error("LISTKEEPER_SECRET_KEY must decode to exactly 32 bytes.");
  return key;
}

export function encryptSecret(plaintext: string, aad: string, key: Buffer = parseKey(env.LISTKEEPER_SECRET_KEY)): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function decryptSecret(envelope: string, aad: string, key: Buffer = parseKey(env.LISTKEEPER_SECRET_KEY)): string {
  const [version, iv, tag, ciphertext] = envelope.split(".");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) {
    throw new Error("Unrecognised secret envelope");
  }
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

/**
 * A key for one purpose (signing a form stamp, a mailed link), derived from the secret key so
 * that a signature made for one purpose never verifies for another.
 */
export function derivedKey(purpose: string, key: Buffer = parseKey(env.LISTKEEPER_SECRET_KEY)): Buffer {
  return createHmac("sha256", key).update(purpose).digest();
}

export function generateKey(): string {
  return randomBytes(32).toString("base64");
}
