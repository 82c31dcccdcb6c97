import { describe, expect, it } from "vitest";
import { openRequestToken, sealRequestToken } from "./request-tokens";

const row = { accountId: "0b5c0c1e-0000-4000-8000-000000000001", targetId: 3, listId: "a.lists.example.org", kind: "subscribe" as const };
const coreToken = "0123456789abcdef0123456789abcdef01234567";

describe("moderator request tokens at rest", () => {
  it("are sealed, open only for their own row, and plain rows from before still read", () => {
    const sealed = sealRequestToken(row, coreToken);
    expect(sealed).not.toContain(coreToken);
    expect(openRequestToken({ ...row, token: sealed })).toBe(coreToken);
    expect(() => openRequestToken({ ...row, listId: "b.lists.example.org", token: sealed })).toThrow();
    expect(openRequestToken({ ...row, token: coreToken })).toBe(coreToken);
  });
});
