import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, generateKey, parseKey, SecretKeyMissingError } from "./secret-box";

const key = parseKey(generateKey());
const aad = "provisioner_targets:1:admin_password";

/** Flips one bit of one base64url part of an envelope, keeping it well-formed. */
function tamper(envelope: string, part: 1 | 2 | 3): string {
  const parts = envelope.split(".");
  const bytes = Buffer.from(parts[part]!, "base64url");
  bytes[0] = bytes[0]! ^ 0x01;
  parts[part] = bytes.toString("base64url");
  return parts.join(".");
}

describe("secret box", () => {
  it("round-trips a secret, including non-ASCII text", () => {
    for (const secret of ["restpass", "pässwörd with spaces ✓", ""]) {
      expect(decryptSecret(encryptSecret(secret, aad, key), aad, key)).toBe(secret);
    }
  });

  it("writes a versioned envelope that does not contain the plaintext", () => {
    const envelope = encryptSecret("restpass", aad, key);
    expect(envelope.startsWith("v1.")).toBe(true);
    expect(envelope.split(".")).toHaveLength(4);
    expect(envelope).not.toContain("restpass");
    expect(Buffer.from(envelope.split(".")[1]!, "base64url")).toHaveLength(12);
  });

  it("uses a fresh IV each time", () => {
    expect(encryptSecret("same", aad, key)).not.toBe(encryptSecret("same", aad, key));
  });

  it("refuses to decrypt with other associated data (a value copied to another row)", () => {
    const envelope = encryptSecret("restpass", aad, key);
    expect(() => decryptSecret(envelope, "provisioner_targets:2:admin_password", key)).toThrow();
  });

  it("detects a tampered ciphertext, tag or IV", () => {
    const envelope = encryptSecret("restpass", aad, key);
    expect(() => decryptSecret(tamper(envelope, 3), aad, key)).toThrow();
    expect(() => decryptSecret(tamper(envelope, 2), aad, key)).toThrow();
    expect(() => decryptSecret(tamper(envelope, 1), aad, key)).toThrow();
  });

  it("refuses to decrypt with another key", () => {
    const envelope = encryptSecret("restpass", aad, key);
    expect(() => decryptSecret(envelope, aad, parseKey(generateKey()))).toThrow();
  });

  it("rejects envelopes of an unknown version or shape", () => {
    const envelope = encryptSecret("restpass", aad, key);
    expect(() => decryptSecret(envelope.replace(/^v1\./, "v2."), aad, key)).toThrow(/Unrecognised/);
    expect(() => decryptSecret("restpass", aad, key)).toThrow(/Unrecognised/);
    expect(() => decryptSecret("v1.abc", aad, key)).toThrow(/Unrecognised/);
  });

  it("uses the key from the environment by default", () => {
    expect(decryptSecret(encryptSecret("restpass", aad), aad)).toBe("restpass");
    expect(() => decryptSecret(encryptSecret("restpass", aad), aad, key)).toThrow();
  });

  it("explains a missing or malformed key", () => {
    expect(() => parseKey(undefined)).toThrow(SecretKeyMissingError);
    expect(() => parseKey("")).toThrow(/LISTKEEPER_SECRET_KEY/);
    expect(() => parseKey(Buffer.alloc(16).toString("base64"))).toThrow(/32 bytes/);
    expect(parseKey(generateKey())).toHaveLength(32);
  });
});
