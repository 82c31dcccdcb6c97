import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { addressProblem, massSubscribeStartSchema, parseAddressLine, parseMassInput } from "./mass-input";

describe("parseAddressLine", () => {
  it.each([
    ["jdoe@example.com", "jdoe@example.com", null],
    ["<jdoe@example.com>", "jdoe@example.com", null],
    ["John Doe <jdoe@example.com>", "jdoe@example.com", "John Doe"],
    ['"Doe, John" <jdoe@example.com>', "jdoe@example.com", "Doe, John"],
    ["jdoe@example.com (John Doe)", "jdoe@example.com", "John Doe"],
    ["  Ünïcode Näme   <x.y+tag@sub.example.org>  ", "x.y+tag@sub.example.org", "Ünïcode Näme"],
  ])("reads %s", (line, email, displayName) => {
    expect(parseAddressLine(line)).toEqual({ email, displayName });
  });

  it.each([
    ["jdoe", "no @ in the address"],
    ["jdoe@localhost", '"localhost" has no dot: use a full domain name'],
    ["jdoe@@example.com", '"jdoe@" is not a valid part before the @'],
    ["j doe@example.com", "an address cannot contain spaces"],
    ["John <jdoe@example.com", "unbalanced < >"],
    ["a..b@example.com", '"a..b" is not a valid part before the @'],
    ["jdoe@exa_mple.com", '"exa_mple.com" is not a valid domain name'],
  ])("refuses %s", (line, problem) => {
    expect(parseAddressLine(line)).toEqual({ problem: problem });
  });

  it("explains an overlong address", () => {
    expect(addressProblem(`${"a".repeat(250)}@example.com`)).toBe("longer than 254 characters");
  });
});

describe("parseMassInput (text)", () => {
  it("skips blank and comment lines, keeps line numbers, drops case-insensitive duplicates", () => {
    const parsed = parseMassInput("a@example.com\n\n# a comment\nB@Example.com\nA@EXAMPLE.COM\nnot an address\nb@example.com (Bee)\n", "text");
    expect(parsed.entries).toEqual([
      { line: 1, raw: "a@example.com", email: "a@example.com", displayName: null },
      { line: 4, raw: "B@Example.com", email: "B@Example.com", displayName: null },
    ]);
    expect(parsed.duplicates).toEqual([
      { line: 5, raw: "A@EXAMPLE.COM", email: "A@EXAMPLE.COM", firstLine: 1 },
      { line: 7, raw: "b@example.com (Bee)", email: "b@example.com", firstLine: 4 },
    ]);
    expect(parsed.invalid).toEqual([{ line: 6, raw: "not an address", reason: "an address cannot contain spaces" }]);
  });

  it("accepts Windows line ends", () => {
    expect(parseMassInput("a@example.com\r\nb@example.com\r\n", "text").entries.map((e) => e.line)).toEqual([1, 2]);
  });
});

describe("parseMassInput (CSV)", () => {
  it("reads columns by header, in any order, with quoted names", () => {
    const csv = 'Name,E-mail,Team\n"Doe, Jane",jane@example.com,blue\nBob,bob@example.com,red\n,bad-address,x\n';
    const parsed = parseMassInput(csv, "csv");
    expect(parsed.entries).toEqual([
      { line: 2, raw: "Doe, Jane,jane@example.com,blue", email: "jane@example.com", displayName: "Doe, Jane" },
      { line: 3, raw: "Bob,bob@example.com,red", email: "bob@example.com", displayName: "Bob" },
    ]);
    expect(parsed.invalid).toEqual([{ line: 4, raw: ",bad-address,x", reason: "no @ in the address" }]);
  });

  it("finds the address cell without a header and takes a neighbour as the name", () => {
    const parsed = parseMassInput("carol@example.com,Carol\nDan,dan@example.com\n", "csv");
    expect(parsed.entries.map((e) => [e.email, e.displayName])).toEqual([
      ["carol@example.com", "Carol"],
      ["dan@example.com", "Dan"],
    ]);
  });

  it("accepts Name <address> cells (a Postorius-style export)", () => {
    const parsed = parseMassInput("email\nEve <eve@example.com>\n", "csv");
    expect(parsed.entries).toEqual([{ line: 2, raw: "Eve <eve@example.com>", email: "eve@example.com", displayName: "Eve" }]);
  });
});

describe("massSubscribeStartSchema", () => {
  it("defaults to pre-verified, pre-confirmed, pre-approved, no welcome, regular delivery", () => {
    const parsed = massSubscribeStartSchema.parse({ targetId: "3", listId: "l.example.com", format: "text", input: "a@example.com", options: {}, consent: true });
    expect(parsed.options).toEqual({ preVerified: true, preConfirmed: true, preApproved: true, invitation: false, sendWelcome: false, deliveryMode: "regular" });
  });

  it("refuses empty input with a sentence", () => {
    const parsed = massSubscribeStartSchema.safeParse({ targetId: 3, listId: "l", format: "text", input: "  \n", options: {}, consent: true });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe("Paste at least one address or choose a file.");
  });
});

describe("Google Groups members export", () => {
  const exported = readFileSync(new URL("../../e2e/files/google-groups-members.csv", import.meta.url), "utf8");

  it("is recognised by its header rows: names kept, owners and managers offered, bouncing and invited rows left out", () => {
    const parsed = parseMassInput(exported, "csv");
    expect(parsed.invalid).toEqual([]);
    expect(parsed.entries.map((e) => [e.line, e.email, e.displayName])).toEqual([
      [3, "anna.owner@choir.example", "Anna Owner"],
      [4, "ben.manager@choir.example", "Bennett, Ben"],
      [5, "carla@choir.example", "Carla Singer"],
      [8, "fred@choir.example", null],
    ]);
    const google = parsed.googleGroups!;
    expect(google.groupName).toBe("Choir Friends");
    expect(google.staff.map((s) => [s.email, s.role])).toEqual([
      ["anna.owner@choir.example", "owner"],
      ["ben.manager@choir.example", "moderator"],
    ]);
    expect(google.leftOut.map((r) => [r.line, r.email, r.reason])).toEqual([
      [6, "dave.bounce@choir.example", "email status “bouncing” in Google Groups"],
      [7, "erin.invited@choir.example", "“invited” in Google Groups (not a member there)"],
    ]);
    expect(google.staff[0]!.joined).toBe("2018-04-10 18:54:07 Mountain Daylight Time");
    expect(google.preferences).toEqual({ email: 2, digest: 1, "no email": 1 });
  });

  it("subscribes a left-out row when its line is chosen", () => {
    const parsed = parseMassInput(exported, "csv", { include: [6] });
    expect(parsed.entries.map((e) => e.email)).toContain("dave.bounce@choir.example");
    expect(parsed.googleGroups!.included.map((r) => r.line)).toEqual([6]);
    expect(parsed.googleGroups!.leftOut.map((r) => r.line)).toEqual([7]);
  });

  it("is also recognised without the title row, and ordinary CSV files are not taken for one", () => {
    const withoutTitle = exported.split("\n").slice(1).join("\n");
    expect(parseMassInput(withoutTitle, "csv").googleGroups?.groupName).toBeNull();
    expect(parseMassInput(withoutTitle, "csv").entries).toHaveLength(4);
    expect(parseMassInput("email,name\na@x.org,A\n", "csv").googleGroups).toBeUndefined();
    expect(parseMassInput("Email address,Name\na@x.org,A\n", "csv").googleGroups).toBeUndefined();
  });
});
