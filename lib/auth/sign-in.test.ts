import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { createUser } from "./users";

// Count every password check the sign-in path makes, and with which hash.
vi.mock("./password", async (importOriginal) => {
  const original = await importOriginal<typeof import("./password")>();
  return { ...original, verifyPassword: vi.fn(original.verifyPassword) };
});

const { verifyPassword } = await import("./password");
const { passwordSignIn } = await import("./sign-in");
const verify = vi.mocked(verifyPassword);

let n = 0;
const address = () => `signin-${Date.now().toString(36)}-${++n}@people.example.test`;
const from = { clientAddress: "192.0.2.10" };

beforeEach(() => verify.mockClear());

describe("passwordSignIn", () => {
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
});
