import { describe, expect, it } from "vitest";
import { highestRole, permits, rolesFromMemberships, type ListAccessFacts, type ListCapability, type ListRole } from "./roles";

describe("rolesFromMemberships", () => {
  it("matches addresses case-insensitively on either side", () => {
    const roles = rolesFromMemberships(["Ada@Example.ORG"], [
      { email: "someone@example.org", role: "moderator" },
      { email: "ADA@example.org", role: "owner" },
    ]);
    expect([...roles]).toEqual(["owner"]);
  });

  it("finds every role the addresses hold", () => {
    const roles = rolesFromMemberships(
      ["ada@example.org", "ada@work.example"],
      [
        { email: "ada@work.example", role: "owner" },
        { email: "ada@example.org", role: "moderator" },
        { email: "Ada@Example.org", role: "member" },
      ],
    );
    expect(roles).toEqual(new Set<ListRole>(["owner", "moderator", "member"]));
  });

  it("only counts the addresses passed in (the verified ones), not others in the answer", () => {
    // The viewer's unverified address owns the list; callers pass verified addresses only. A
    // `*` in a looked-up address would make the core answer with other people's memberships.
    const memberships = [
      { email: "unverified@example.org", role: "owner" },
      { email: "other@example.org", role: "moderator" },
      { email: "unverified@example.org", role: "member" },
    ] as const;
    expect(rolesFromMemberships(["verified@example.org"], memberships).size).toBe(0);
    expect(rolesFromMemberships(["*@example.org"], memberships).size).toBe(0);
    expect(rolesFromMemberships([], memberships).size).toBe(0);
  });

  it("gives a member no more than membership, and a nonmember entry nothing", () => {
    expect(rolesFromMemberships(["ada@example.org"], [{ email: "ada@example.org", role: "member" }])).toEqual(new Set<ListRole>(["member"]));
    expect(rolesFromMemberships(["ada@example.org"], [{ email: "ada@example.org", role: "nonmember" }]).size).toBe(0);
  });

  it("ignores entries without an address or a role", () => {
    expect(rolesFromMemberships(["ada@example.org"], [{ role: "owner" }, { email: "ada@example.org" }, { email: "", role: "owner" }]).size).toBe(0);
  });
});

describe("permits", () => {
  const capabilities: ListCapability[] = ["view", "moderate", "administer"];
  type Who = "superuser" | "owner" | "moderator" | "member" | "none";
  const facts = (who: Who, advertised: boolean): ListAccessFacts => ({
    isSuperuser: who === "superuser",
    roles: new Set<ListRole>(who === "superuser" || who === "none" ? [] : [who]),
    advertised,
  });

  // console.md §6: owners may do what moderators may; members and other signed-in users only see
  // the list, and an unadvertised list only when they are on it.
  const expected: Record<Who, Record<"advertised" | "unadvertised", Record<ListCapability, boolean>>> = {
    superuser: {
      advertised: { view: true, moderate: true, administer: true },
      unadvertised: { view: true, moderate: true, administer: true },
    },
    owner: {
      advertised: { view: true, moderate: true, administer: true },
      unadvertised: { view: true, moderate: true, administer: true },
    },
    moderator: {
      advertised: { view: true, moderate: true, administer: false },
      unadvertised: { view: true, moderate: true, administer: false },
    },
    member: {
      advertised: { view: true, moderate: false, administer: false },
      unadvertised: { view: true, moderate: false, administer: false },
    },
    none: {
      advertised: { view: true, moderate: false, administer: false },
      unadvertised: { view: false, moderate: false, administer: false },
    },
  };

  for (const who of Object.keys(expected) as Who[]) {
    for (const visibility of ["advertised", "unadvertised"] as const) {
      for (const capability of capabilities) {
        const allowed = expected[who][visibility][capability];
        it(`${who} on an ${visibility} list ${allowed ? "may" : "may not"} ${capability}`, () => {
          expect(permits(facts(who, visibility === "advertised"), capability)).toBe(allowed);
        });
      }
    }
  }

  it("a superuser needs no role on the list", () => {
    expect(permits({ isSuperuser: true, roles: new Set(), advertised: false }, "administer")).toBe(true);
  });

  it("an owner who is also a moderator keeps every owner right", () => {
    expect(permits({ isSuperuser: false, roles: new Set<ListRole>(["moderator", "owner"]), advertised: false }, "administer")).toBe(true);
  });
});

describe("highestRole", () => {
  it("names the strongest role for display", () => {
    expect(highestRole({ isSuperuser: true, roles: new Set<ListRole>(["member"]), advertised: true })).toBe("superuser");
    expect(highestRole({ isSuperuser: false, roles: new Set<ListRole>(["member", "owner", "moderator"]), advertised: true })).toBe("owner");
    expect(highestRole({ isSuperuser: false, roles: new Set<ListRole>(["member", "moderator"]), advertised: true })).toBe("moderator");
    expect(highestRole({ isSuperuser: false, roles: new Set<ListRole>(["member"]), advertised: true })).toBe("member");
    expect(highestRole({ isSuperuser: false, roles: new Set<ListRole>(), advertised: true })).toBe("visitor");
  });
});
