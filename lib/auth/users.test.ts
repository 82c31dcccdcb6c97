import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { ConflictError } from "@/lib/errors";
import { consumeLoginAttempt, resetLoginAttempts } from "./rate-limit";
import { createUser, findCredentialsByEmail, loadViewer } from "./users";

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

describe("accounts", () => {
  it("stores addresses lower-cased and refuses a second account for one address", async () => {
    const email = `Ada.${unique()}@Example.ORG`;
    const { id } = await createUser({ email, password: "long enough password", displayName: "Ada" });
    const viewer = await loadViewer(id);
    expect(viewer?.emails).toEqual([{ email: email.toLowerCase(), verified: true }]);
    expect(viewer?.verifiedEmails).toEqual([email.toLowerCase()]);
    await expect(createUser({ email: email.toUpperCase(), password: "long enough password" })).rejects.toBeInstanceOf(ConflictError);
  });

  it("never grants a role through an unverified address", async () => {
    const { id } = await createUser({ email: `u-${unique()}@example.org`, password: "long enough password", verified: false });
    const viewer = await loadViewer(id);
    expect(viewer?.emails[0]?.verified).toBe(false);
    expect(viewer?.verifiedEmails).toEqual([]);
  });

  it("rejects short passwords and bad addresses", async () => {
    await expect(createUser({ email: `s-${unique()}@example.org`, password: "short" })).rejects.toThrow(/at least 10/);
    await expect(createUser({ email: "not an address", password: "long enough password" })).rejects.toThrow(/valid email/);
  });

  it("keeps the password hash out of the viewer", async () => {
    const email = `h-${unique()}@example.org`;
    const { id } = await createUser({ email, password: "long enough password" });
    const viewer = await loadViewer(id);
    expect(JSON.stringify(viewer)).not.toMatch(/argon2/);
    expect((await findCredentialsByEmail(email))?.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it("does not load a disabled or unknown account", async () => {
    const { id } = await createUser({ email: `d-${unique()}@example.org`, password: "long enough password" });
    expect(await loadViewer(id)).not.toBeNull();
    const db = await getDb();
    await db.update(users).set({ disabled: true }).where(eq(users.id, id));
    expect(await loadViewer(id)).toBeNull();
    expect(await loadViewer("00000000-0000-4000-8000-000000000000")).toBeNull();
    expect(await loadViewer("not-a-uuid")).toBeNull();
  });
});

describe("sign-in rate limit", () => {
  it("allows the configured number of attempts per window, then refuses with a retry time", async () => {
    const key = `email:${unique()}@example.org`;
    for (let i = 0; i < 3; i++) expect((await consumeLoginAttempt([{ key, max: 3 }], 60)).allowed).toBe(true);
    const refused = await consumeLoginAttempt([{ key, max: 3 }], 60);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    await resetLoginAttempts(key);
    expect((await consumeLoginAttempt([{ key, max: 3 }], 60)).allowed).toBe(true);
  });

  it("refuses when any bucket is exhausted and starts a new window when the old one expired", async () => {
    const email = `email:${unique()}`;
    const ip = `ip:${unique()}`;
    await consumeLoginAttempt([{ key: ip, max: 1 }], 60);
    expect((await consumeLoginAttempt([{ key: email, max: 5 }, { key: ip, max: 1 }], 60)).allowed).toBe(false);
    const shortKey = `email:${unique()}`;
    await consumeLoginAttempt([{ key: shortKey, max: 1 }], 1);
    expect((await consumeLoginAttempt([{ key: shortKey, max: 1 }], 1)).allowed).toBe(false);
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await consumeLoginAttempt([{ key: shortKey, max: 1 }], 1)).allowed).toBe(true);
  });
});
