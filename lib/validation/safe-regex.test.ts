import { describe, expect, it } from "vitest";
import { compilePatternSet, pythonToRe2, re2PatternProblem } from "./safe-regex";

describe("pythonToRe2", () => {
  it("translates \\Z and drops (?#…) comments, leaving escaped backslashes alone", () => {
    expect(pythonToRe2("^a\\Z")).toBe("^a\\z");
    expect(pythonToRe2("^a\\\\Z")).toBe("^a\\\\Z");
    expect(pythonToRe2("^(?#note)x(?P<n>y)")).toBe("^x(?P<n>y)");
  });
});

describe("re2PatternProblem", () => {
  it("accepts what RE2 and Python's re share", () => {
    for (const pattern of ["^.*@spam\\.example$", "^bot\\d+@", "^(?P<n>x)@", "^[a-z]{2,8}@x\\.org\\Z", "^(a+)+$"]) {
      expect(re2PatternProblem(pattern, { anchoredAtStart: true }), pattern).toBeNull();
    }
  });

  it("refuses backreferences and lookaround with a message that names the engines", () => {
    expect(re2PatternProblem("^(a)\\1@")).toMatch(/RE2, a linear-time engine.*Python's re/);
    expect(re2PatternProblem("^a(?=b)")).toMatch(/lookaround/);
    expect(re2PatternProblem("^(bad")).toMatch(/^This is not a valid regular expression for Listkeeper \(missing closing \)/);
  });

  it("refuses inline flags after the ^ of a ban pattern (Python 3.11+ refuses them there too)", () => {
    expect(re2PatternProblem("^(?i)bot@", { anchoredAtStart: true })).toMatch(/only allowed at the very start/);
    expect(re2PatternProblem("^(?i:bot)@", { anchoredAtStart: true })).toBeNull();
  });

  it("refuses patterns whose repetitions expand past the size bound", () => {
    expect(re2PatternProblem(`^${"[a-z]{1000}[0-9]{1000}".repeat(3)}`)).toMatch(/too complex/);
    expect(re2PatternProblem("^(x{1000}){10}")).toMatch(/invalid repeat count/);
  });
});

describe("compilePatternSet", () => {
  it("matches at the start like Python's re.match, ignoring case", () => {
    const set = compilePatternSet(["^bot\\d+@", "^.*@SPAM\\.example\\Z", "^a(?=b)"], { anchorStart: true, caseInsensitive: true });
    expect(set.test("bot12@x.org")).toBe(true);
    expect(set.test("x@spam.example")).toBe(true);
    expect(set.test("x@spam.example.org")).toBe(false);
    expect(set.test("mybot1@x.org")).toBe(false);
    expect(set.skipped.map((s) => s.pattern)).toEqual(["^a(?=b)"]);
  });

  it("runs ^(a+)+$ against a long address in linear time", () => {
    const set = compilePatternSet(["^(a+)+$"], { anchorStart: true, caseInsensitive: true });
    const address = `${"a".repeat(63)}!@${"a".repeat(180)}.example`;
    const started = performance.now();
    for (let i = 0; i < 1_000; i++) expect(set.test(address)).toBe(false);
    // JavaScript's engine needs about 2^63 steps for one of these; RE2 a few microseconds.
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(set.test("a".repeat(250))).toBe(true);
  });

  it("splits many patterns over several sets and still finds each", () => {
    const patterns = Array.from({ length: 300 }, (_, i) => `^user${i}x{0,40}@example\\.org$`);
    const set = compilePatternSet(patterns, { anchorStart: true, caseInsensitive: true });
    expect(set.test("user299@example.org")).toBe(true);
    expect(set.test("USER0xxx@example.org")).toBe(true);
    expect(set.test("user300@example.org")).toBe(false);
  });
});
