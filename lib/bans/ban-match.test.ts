import { describe, expect, it } from "vitest";
import { banHits, banMatcher, banVerdict, MAX_BAN_PATTERNS, wildcardMatcher } from "./ban-match";

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


describe("banVerdict", () => {
  it("compares address entries exactly, ignoring the case of the address checked", () => {
    expect(banVerdict("spam@example.org", "Spam@Example.org")).toBe("matches");
    expect(banVerdict("spam@example.org", "spam@example.org.uk")).toBe("no_match");
  });

  it("applies patterns like Python's re.match with IGNORECASE: anchored at the start, not at the end", () => {
    expect(banVerdict("^bot\\d+@", "BOT42@example.net")).toBe("matches");
    expect(banVerdict("^.*@spam\\.example$", "a@spam.example")).toBe("matches");
    expect(banVerdict("^.*@spam\\.example$", "a@spam.example.org")).toBe("no_match");
    expect(banVerdict("^(?P<user>[a-z]+)@x\\.org\\Z", "ann@x.org")).toBe("matches");
    expect(banVerdict("^.*@.*", "anyone@anywhere.example")).toBe("matches");
  });

  it("reports patterns RE2 cannot run as unchecked instead of guessing", () => {
    expect(banVerdict("^(?!admin).*@x\\.org", "ann@x.org")).toBe("unchecked");
    expect(banVerdict("^(a)\\1@x", "aa@x")).toBe("unchecked");
  });

  it("answers a pattern on which a backtracking engine would never finish (linear-time RE2)", () => {
    expect(banVerdict("^(a+)+$", `${"a".repeat(5_000)}!`)).toBe("no_match");
  });
});

describe("banHits", () => {
  it("lists the entries that refuse the address, and unchecked patterns", () => {
    expect(banHits(["a@x.org", "^b.*", "^(?=c)", "^.*@y\\.org$"], "a@x.org")).toEqual([
      { entry: "a@x.org", isPattern: false, unchecked: false },
      { entry: "^(?=c)", isPattern: true, unchecked: true },
    ]);
  });
});

describe("wildcardMatcher", () => {
  it("treats * as any text and everything else literally", () => {
    const match = wildcardMatcher("first_last@*.example");
    expect(match("First_Last@mail.example")).toBe(true);
    expect(match("firstXlast@mail.example")).toBe(false);
    expect(wildcardMatcher("*(x)*")("a(x)b")).toBe(true);
  });
});
