import { describe, expect, it } from "vitest";
import { renderTemplate, templateVariables } from "./render";

describe("renderTemplate (Python string.Template.safe_substitute)", () => {
  const vars = { listname: "team@example.org", display_name: "Team", domain: "example.org", short_listname: "team", info: "" };

  it("replaces $name and ${name}", () => {
    expect(renderTemplate("Welcome to $display_name: post to $listname", vars)).toBe("Welcome to Team: post to team@example.org");
    expect(renderTemplate("${short_listname}-leave@${domain}", vars)).toBe("team-leave@example.org");
  });

  it("leaves unknown variables exactly as written", () => {
    expect(renderTemplate("Hi $member, ${subject} and $display_name", vars)).toBe("Hi $member, ${subject} and Team");
  });

  it("turns $$ into $ and leaves a lone or invalid $ alone", () => {
    expect(renderTemplate("costs $$5, $ 3, $1 and ${ bad}", vars)).toBe("costs $5, $ 3, $1 and ${ bad}");
    expect(renderTemplate("$$display_name", vars)).toBe("$display_name");
  });

  it("takes the longest identifier, like Python", () => {
    expect(renderTemplate("$display_names", vars)).toBe("$display_names");
    expect(renderTemplate("${display_name}s", vars)).toBe("Teams");
  });

  it("substitutes empty values and never looks at the prototype", () => {
    expect(renderTemplate("[$info]", vars)).toBe("[]");
    expect(renderTemplate("$constructor $toString", vars)).toBe("$constructor $toString");
  });

  it("does not interpret HTML or re-expand substituted text", () => {
    expect(renderTemplate("$display_name", { display_name: "<b>$listname</b>", listname: "x" })).toBe("<b>$listname</b>");
  });

  it("lists the variables a text uses", () => {
    expect(templateVariables("$a ${b} $$c $a")).toEqual(["a", "b"]);
  });
});
