import { describe, expect, it } from "vitest";
import { addRuleSchema, DEFER_REFUSED, headerNameSchema, patternSchema, regexProblem, ruleFieldsSchema, toJavaScriptRegex } from "./rule-input";

const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues.map((i) => i.message) ?? [];

describe("header names", () => {
  it("accepts RFC 5322 field names and lower-cases them as the core stores them", () => {
    expect(headerNameSchema.parse(" X-Spam-Flag ")).toBe("x-spam-flag");
    expect(headerNameSchema.parse("List-Id")).toBe("list-id");
    expect(headerNameSchema.parse("X_Odd!#$%&'*+.^`|~")).toBe("x_odd!#$%&'*+.^`|~");
  });

  it.each(["", "X Spam", "X-Spam:", "Sübject", "X-\tTab"])("refuses %j (the core would store it)", (value) => {
    expect(headerNameSchema.safeParse(value).success).toBe(false);
  });
});

describe("patterns", () => {
  it("accepts plain JavaScript-compatible regexes", () => {
    expect(patternSchema.safeParse("^yes$").success).toBe(true);
    expect(patternSchema.safeParse("viagra|cialis").success).toBe(true);
  });

  it("accepts Python-only spellings by translating them", () => {
    expect(toJavaScriptRegex("(?P<score>\\d+)(?P=score)")).toBe("(?<score>\\d+)\\k<score>");
    expect(toJavaScriptRegex("(?i)spam")).toBe("spam");
    expect(toJavaScriptRegex("\\Ayes\\Z")).toBe("^yes$");
    expect(toJavaScriptRegex("a\\\\Z")).toBe("a\\\\Z");
    expect(toJavaScriptRegex("x(?#why)y")).toBe("xy");
    for (const pattern of ["(?i)^yes", "(?P<n>a)(?P=n)", "\\Ayes\\Z", "(?ms)a.b"]) expect(regexProblem(pattern), pattern).toBeNull();
  });

  it("refuses patterns that cannot compile, saying why", () => {
    expect(regexProblem("[bad")).toMatch(/not a valid regular expression/);
    expect(messages(patternSchema.safeParse("(unclosed"))[0]).toMatch(/not a valid regular expression/);
    expect(patternSchema.safeParse("").success).toBe(false);
    expect(patternSchema.safeParse("a\nb").success).toBe(false);
  });
});

describe("actions", () => {
  it("offers the site default and the four safe chains", () => {
    for (const action of ["default", "hold", "reject", "discard", "accept"]) {
      expect(ruleFieldsSchema.safeParse({ header: "x-a", pattern: "a", action }).success, action).toBe(true);
    }
  });

  it("refuses defer with the reason (Q-2) and nothing else", () => {
    const result = ruleFieldsSchema.safeParse({ header: "x-a", pattern: "a", action: "defer" });
    expect(result.success).toBe(false);
    expect(messages(result)).toEqual([DEFER_REFUSED]);
  });

  it("refuses unknown actions", () => {
    expect(ruleFieldsSchema.safeParse({ header: "x-a", pattern: "a", action: "moderate" }).success).toBe(false);
  });
});

describe("tags", () => {
  it("are optional and kept as typed (the core only lower-cases them on PATCH)", () => {
    const base = { targetId: "3", listId: "a.example.org", header: "X-A", pattern: "a", action: "hold" };
    expect(addRuleSchema.parse(base)).toMatchObject({ targetId: 3, header: "x-a", tag: "" });
    expect(addRuleSchema.parse({ ...base, tag: " SpamAssassin " }).tag).toBe("SpamAssassin");
  });
});
