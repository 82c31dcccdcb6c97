import { describe, expect, it } from "vitest";
import { banEntryProblem, banEntrySchema, parseBanQuery, removeGlobalBanSchema, removeListBanSchema, storedBanProblem } from "./ban-input";

describe("ban entries", () => {
  it("lower-cases addresses, which the core compares exactly with lower-cased subscribers", () => {
    expect(banEntrySchema.parse(" Spammer@Example.ORG ")).toBe("spammer@example.org");
    expect(banEntrySchema.parse("a+b@x.example")).toBe("a+b@x.example");
  });

  it("keeps patterns as typed (the core ignores case when matching them)", () => {
    expect(banEntrySchema.parse("^.*@Spam\\.example$")).toBe("^.*@Spam\\.example$");
    expect(banEntrySchema.parse("^Bot\\d+@")).toBe("^Bot\\d+@");
    // Python 3.11+ wants inline flags first; after "^" they are an error there and here.
    expect(banEntrySchema.safeParse("^(?i)bot@").success).toBe(false);
  });

  it.each([
    ["", /Enter an e-mail address/],
    ["not valid", /no spaces/],
    ["nobody", /full e-mail address/],
    ["a@b", /full e-mail address/],
    ["^(bad", /not a valid regular expression for Listkeeper \(missing closing \)/],
    ["^(a)\\1@x", /backreferences .*Python's re/],
    ["^x(?=y)@", /lookaround/],
    ["^.*/x@spam", /“\/”/],
  ])("refuses %j", (value, message) => {
    expect(banEntryProblem(value)).toMatch(message);
    expect(banEntrySchema.safeParse(value).success).toBe(false);
  });
});

describe("removal of a stored entry", () => {
  it("takes addresses as stored (any case) and patterns RE2 cannot run, never path segments", () => {
    const base = { targetId: 1, listId: "a.example.org" };
    for (const email of ["Spammer@Example.org", "^x(?=y)@", "^.*@spam\\.example$"]) expect(removeListBanSchema.parse({ ...base, email }).email).toBe(email);
    for (const email of ["..", ".", "../x", "nobody", "a@b/..", "^a/b"]) {
      expect(storedBanProblem(email), email).not.toBeNull();
      expect(removeGlobalBanSchema.safeParse({ targetId: 1, email }).success).toBe(false);
    }
  });
});

describe("parseBanQuery", () => {
  it("reads page and search, falling back to page 1", () => {
    expect(parseBanQuery({ page: "3", q: " spam " })).toEqual({ page: 3, q: "spam" });
    expect(parseBanQuery({ page: "0" })).toEqual({ page: 1, q: "" });
    expect(parseBanQuery({ page: ["x", "2"], q: ["a", "b"] })).toEqual({ page: 1, q: "a" });
  });
});
