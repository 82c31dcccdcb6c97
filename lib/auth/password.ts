import { hash, verify } from "@node-rs/argon2";

// @node-rs/argon2 defaults to argon2id; these are OWASP's recommended minimums for it.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 10;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Sign-in verifies against this hash when an account has no password (unknown, OIDC-only), so
// that every attempt costs one argon2id verification with the same parameters and the response
// time does not tell which addresses have accounts or how they sign in.
let dummyHash: Promise<string> | undefined;
export function timingEqualiserHash(): Promise<string> {
  dummyHash ??= hashPassword("listkeeper-timing-equaliser");
  return dummyHash;
}

export async function burnPasswordCheck(password: string): Promise<void> {
  await verifyPassword(await timingEqualiserHash(), password);
}
