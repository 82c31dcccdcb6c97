import { describe, expect, it } from "vitest";
import { DEFAULT_LISTNAME_CHARS, listNameProblem } from "./list-name";

describe("listNameProblem", () => {
  it.each(["staff", "team-a", "team_b", "v2.announce", "Staff", " staff ", "a", "x".repeat(64)])("accepts %j", (name) => {
    expect(listNameProblem(name)).toBeNull();
  });

  it.each([
    ["", /Enter a list name/],
    ["  ", /Enter a list name/],
    ["x".repeat(65), /at most 64/],
    ["my list", /does not allow " "/],
    ["café", /does not allow "é"/],
    ["a+b@c", /"\+", "@"/],
    ["-staff", /start or end/],
    [".staff", /start or end/],
    ["staff-", /start or end/],
    ["staff.", /start or end/],
    ["a..b", /two dots/],
    ["team-owner", /"-owner"/],
    ["team-request", /"-request"/],
    ["team-bounces", /"-bounces"/],
    ["x-unsubscribe", /"-unsubscribe"/],
  ])("rejects %j", (name, message) => {
    expect(listNameProblem(name)).toMatch(message);
  });

  it("names each forbidden character once and the allowed class", () => {
    const problem = listNameProblem("a b c");
    expect(problem).toBe(`This Mailman server does not allow " " in list names (allowed: ${DEFAULT_LISTNAME_CHARS}).`);
  });

  it("follows the server's listname_chars", () => {
    expect(listNameProblem("team_a", "[-.0-9a-z]")).toMatch(/does not allow "_"/);
    expect(listNameProblem("équipe", "[-_.0-9a-zé]")).toBeNull();
  });

  it("falls back to the default class when the server's pattern is not a valid regular expression", () => {
    expect(listNameProblem("staff", "[unclosed")).toBeNull();
    expect(listNameProblem("st aff", "[unclosed")).toMatch(/does not allow " "/);
  });

  it("allows names that merely contain a reserved word", () => {
    expect(listNameProblem("owners")).toBeNull();
    expect(listNameProblem("request-tracker")).toBeNull();
  });
});
