import { describe, expect, it } from "vitest";
import { parsePersonQuery } from "./person-query";

describe("parsePersonQuery", () => {
  it("reads an address, lower-cased", () => {
    expect(parsePersonQuery("  Jane.Doe@Example.ORG ")).toEqual({ query: { kind: "address", text: "Jane.Doe@Example.ORG", address: "jane.doe@example.org" } });
  });

  it("reads a pattern, and a name as a pattern over addresses and display names", () => {
    expect(parsePersonQuery("*@Example.org")).toEqual({ query: { kind: "pattern", text: "*@Example.org", wildcard: "*@example.org" } });
    expect(parsePersonQuery("Jane  Doe")).toEqual({ query: { kind: "name", text: "Jane Doe", wildcard: "*jane doe*" } });
  });

  it("refuses what would match almost everyone, SQL wildcards and broken addresses, saying why", () => {
    for (const [input, reason] of [
      ["", /Enter an address/],
      ["*@*", /at least 3 characters/],
      ["j", /two characters/],
      ["50%@x.org", /Use \*/],
      ["jane@", /not an e-mail address/],
    ] as const) {
      const result = parsePersonQuery(input);
      expect("problem" in result && result.problem, input).toMatch(reason);
    }
  });
});
