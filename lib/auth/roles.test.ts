import { describe, expect, it } from "vitest";
import { highestRole, permits, rolesFromRosters, type ListAccessFacts, type ListCapability, type ListRole } from "./roles";

describe("rolesFromRosters", () => {
  it("matches addresses case-insensitively on either side", () => {
    const roles = rolesFromRosters(["Ada@Example.ORG"], { owners: ["someone@example.org", "ADA@example.org"], moderators: [] });
    expect([...roles]).toEqual(["owner"]);
  });

  it("finds every role the addresses hold", () => {
    const roles = rolesFromRosters(["ada@example.org", "ada@work.example"], {
      owners: ["ada@work.example"],
      moderators: ["ada@example.org"],
      members: ["Ada@Example.org"],
    });
    expect(roles).toEqual(new Set<ListRole>(["owner", "moderator", "member"]));
  });

  it("only counts the addresses passed in (the verified ones), not others on the roster", () => {
    // The viewer's unverified address is on the owner roster; callers pass verified addresses only.
    const rosters = { owners: ["unverified@example.org"], moderators: ["other@example.org"], members: ["unverified@example.org"] };
    expect(rolesFromRosters(["verified@example.org"], rosters).size).toBe(0);
    expect(rolesFromRosters([], rosters).size).toBe(0);
  });

  it("treats a missing member roster as no membership", () => {
    expect(rolesFromRosters(["ada@example.org"], { owners: [], moderators: [] }).has("member")).toBe(false);
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
