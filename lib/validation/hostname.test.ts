import { describe, expect, it } from "vitest";
import { hostnameProblem, normaliseHostname } from "./hostname";

describe("hostnameProblem", () => {
  it.each(["lists.example.org", "a.b", "xn--bcher-kva.example", "mail-1.example.co.uk", "  Lists.Example.ORG  ", `${"a".repeat(63)}.example`])(
    "accepts %j",
    (host) => {
      expect(hostnameProblem(host)).toBeNull();
    },
  );

  it.each([
    ["", /Enter a domain/],
    ["   ", /Enter a domain/],
    ["bad domain", /spaces/],
    ["bad\tdomain.org", /spaces/],
    ["localhost", /full domain name/],
    ["lists..example.org", /empty parts/],
    [".example.org", /empty parts/],
    ["example.org.", /empty parts/],
    ["-lists.example.org", /"-lists"/],
    ["lists-.example.org", /"lists-"/],
    ["under_score.example.org", /"under_score"/],
    ["lists.exämple.org", /"exämple"/],
    ["mail@example.org", /"mail@example"/],
    ["10.0.0.1", /last part .* number/],
    [`${"a".repeat(64)}.example`, /not a valid part/],
    [`${"a.".repeat(127)}ab`, /at most 253/],
  ])("rejects %j", (host, message) => {
    expect(hostnameProblem(host)).toMatch(message);
  });
});

describe("normaliseHostname", () => {
  it("trims and lower-cases", () => {
    expect(normaliseHostname("  Lists.Example.ORG ")).toBe("lists.example.org");
  });
});
