import { eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

// Small limits for this file: 3 attempts per account before the slow-down, 30 per network.
vi.hoisted(() => {
  process.env.LOGIN_MAX_ATTEMPTS = "3";
  process.env.LOGIN_MAX_DELAY_SECONDS = "8";
});
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { createUser } from "./users";

// Count every password check the sign-in path makes, and with which hash.
vi.mock("./password", async (importOriginal) => {
  const original = await importOriginal<typeof import("./password")>();
  return { ...original, verifyPassword: vi.fn(original.verifyPassword) };
});

const { verifyPassword } = await import("./password");
const { passwordSignIn, SignInRateLimited } = await import("./sign-in");
const verify = vi.mocked(verifyPassword);

let n = 0;
const address = () => `signin-${Date.now().toString(36)}-${++n}@people.example.test`;
const from = { clientAddress: "192.0.2.10" };

beforeEach(() => verify.mockClear());

describe("passwordSignIn", () => {
  // PGlite starts and migrates on first use: pay for it here, not inside the first test's timeout.
  beforeAll(() => getDb(), 120_000);

  it("runs one argon2id verification for unknown, OIDC-only, disabled and real accounts alike", { timeout: 60_000 }, async () => {
    const withPassword = address();
    const oidcOnly = address();
    const disabled = address();
    await createUser({ email: withPassword, password: "correct horse battery" });
    await createUser({ email: oidcOnly });
    const { id: disabledId } = await createUser({ email: disabled, password: "correct horse battery" });
    await (await getDb()).update(users).set({ disabled: true }).where(eq(users.id, disabledId));

    const cases: [string, string, boolean][] = [
      [address(), "correct horse battery", false],
      [oidcOnly, "correct horse battery", false],
      [disabled, "correct horse battery", false],
      [withPassword, "wrong horse battery", false],
      [withPassword, "correct horse battery", true],
    ];
    for (const [email, password, ok] of cases) {
      verify.mockClear();
      const result = await passwordSignIn({ email, password }, from);
      expect(Boolean(result), email).toBe(ok);
      // The same work whatever the account: one check against a real argon2id hash.
      expect(verify, email).toHaveBeenCalledTimes(1);
      expect(verify.mock.calls[0]![0], email).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    }
  });

  it("slows down guesses at one account but never locks its owner out", { timeout: 60_000 }, async () => {
    const email = address();
    await createUser({ email, password: "correct horse battery" });
    const waits: number[] = [];
    const attacker = { clientAddress: "198.51.100.7", wait: async (ms: number) => void waits.push(ms) };
    for (let i = 0; i < 7; i++) expect(await passwordSignIn({ email, password: `guess ${i}` }, attacker)).toBeNull();
    // Three free attempts, then 1, 2, 4, 8 s (capped at LOGIN_MAX_DELAY_SECONDS).
    expect(waits).toEqual([1000, 2000, 4000, 8000]);
    // The owner, from another network, still gets in (after the current wait): no lockout.
    const ownerWaits: number[] = [];
    const owner = await passwordSignIn({ email, password: "correct horse battery" }, { clientAddress: "203.0.113.20", wait: async (ms) => void ownerWaits.push(ms) });
    expect(owner).not.toBeNull();
    expect(ownerWaits).toEqual([8000]);
    // Success ends the slow-down for the account.
    const after: number[] = [];
    expect(await passwordSignIn({ email, password: "wrong" }, { ...attacker, wait: async (ms) => void after.push(ms) })).toBeNull();
    expect(after).toEqual([]);
  });

  it("refuses one network after ten times the per-account limit, across accounts; other networks go on", { timeout: 120_000 }, async () => {
    const network = { clientAddress: "2001:db8:77:1::5", wait: async () => {} };
    for (let i = 0; i < 30; i++) expect(await passwordSignIn({ email: address(), password: "spray" }, network)).toBeNull();
    // Another address in the same IPv6 /64 is the same network.
    await expect(passwordSignIn({ email: address(), password: "spray" }, { ...network, clientAddress: "2001:db8:77:1::9" })).rejects.toBeInstanceOf(SignInRateLimited);
    expect(await passwordSignIn({ email: address(), password: "spray" }, { ...network, clientAddress: "2001:db8:77:2::5" })).toBeNull();
  });
});
