import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allowedAtScope, TEMPLATE_GROUPS, TEMPLATE_NAMES, TEMPLATES, templatesForScope } from "./catalogue";

const CORE_INTERFACE = "/usr/lib/python3/dist-packages/mailman/interfaces/template.py";
const CORE_TEMPLATES = "/usr/lib/python3/dist-packages/mailman/templates/en";

describe("template catalogue", () => {
  it("has the 28 names of the core, once each, each in a known group", () => {
    expect(TEMPLATE_NAMES).toHaveLength(28);
    expect(new Set(TEMPLATE_NAMES).size).toBe(28);
    const groups = new Set(TEMPLATE_GROUPS.map((g) => g.key));
    for (const t of TEMPLATES) {
      expect(groups.has(t.group)).toBe(true);
      expect(t.label).not.toBe("");
      expect(t.description).not.toBe("");
    }
  });

  it.runIf(existsSync(CORE_INTERFACE))("matches ALL_TEMPLATES of the installed core", () => {
    const source = readFileSync(CORE_INTERFACE, "utf8");
    const block = source.slice(source.indexOf("ALL_TEMPLATES"), source.indexOf("ALT_TEMPLATE_NAMES"));
    const names = [...block.matchAll(/'((?:list|domain):[a-z:-]+)'/g)].map((m) => m[1]);
    expect([...TEMPLATE_NAMES].sort()).toEqual([...new Set(names)].sort());
  });

  it.runIf(existsSync(CORE_TEMPLATES))("carries the core's built-in English texts", () => {
    const welcome = TEMPLATES.find((t) => t.name === "list:user:notice:welcome")!;
    expect(welcome.defaultText).toBe(readFileSync(`${CORE_TEMPLATES}/list:user:notice:welcome.txt`, "utf8"));
    const footer = TEMPLATES.find((t) => t.name === "list:member:regular:footer")!;
    expect(footer.defaultText).toBe(readFileSync(`${CORE_TEMPLATES}/list:member:generic:footer.txt`, "utf8"));
  });

  it("offers lists only list:* names and the domain notice only above them", () => {
    expect(templatesForScope("list")).toHaveLength(27);
    expect(templatesForScope("domain")).toHaveLength(28);
    expect(allowedAtScope("domain:admin:notice:new-list", "list")).toBe(false);
    expect(allowedAtScope("domain:admin:notice:new-list", "site")).toBe(true);
    expect(allowedAtScope("list:bogus", "site")).toBe(false);
  });

  it("names the message-specific variables of a template", () => {
    expect(TEMPLATES.find((t) => t.name === "list:user:action:subscribe")!.messageVariables).toEqual(["user_email", "token"]);
  });
});
