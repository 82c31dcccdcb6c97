import { describe, expect, it } from "vitest";
import { banMatcher, MAX_BAN_PATTERNS } from "./ban-match";

describe("banMatcher", () => {
  it("matches exact addresses case-insensitively and patterns at the start", () => {
    const matcher = banMatcher(["Spammer@Example.org", "^bot\\d+@", "^.*@spam\\.example$"]);
    expect(matcher.isBanned("spammer@example.ORG")).toBe(true);
    expect(matcher.isBanned("Bot7@x.org")).toBe(true);
    expect(matcher.isBanned("a@spam.example")).toBe(true);
    expect(matcher.isBanned("robot7@x.org")).toBe(false);
    expect(matcher.incomplete).toBe(false);
  });

  it("finishes ^(a+)+$ against a long address at once", () => {
    const matcher = banMatcher(["^(a+)+$"]);
    const started = performance.now();
    expect(matcher.isBanned(`${"a".repeat(63)}!@${"a".repeat(180)}.example`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("says the prediction is incomplete when patterns are left out or the time budget is spent", () => {
    expect(banMatcher(["^a(?=b)"]).incomplete).toBe(true);
    expect(banMatcher(Array.from({ length: MAX_BAN_PATTERNS + 1 }, (_, i) => `^p${i}@`)).incomplete).toBe(true);
    let clock = 0;
    const matcher = banMatcher(["^slow@"], { budgetMs: 10, now: () => (clock += 6) });
    expect(matcher.isBanned("slow@x.org")).toBe(true);
    expect(matcher.incomplete).toBe(false);
    expect(matcher.isBanned("slow@x.org")).toBe(true);
    expect(matcher.incomplete).toBe(true);
    // Past the budget only exact bans are checked.
    expect(matcher.isBanned("slow@x.org")).toBe(false);
  });
});
