import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ADDRESS_TYPE_ORDER,
  desiredRoster,
  governedRoles,
  needsUser,
  personListEligible,
  personProvisionable,
  preferredAddress,
  prefKey,
  validMembership,
  verdict,
  type GroupFact,
  type ListFact,
  type PersonFact,
  type PersonStatus,
  type World,
} from "./desired";

const now = new Date("2026-06-01T12:00:00Z");
const groups = new Map<number, GroupFact>([
  [1, { id: 1, status: "active", deleted: false }],
  [2, { id: 2, status: "active", deleted: false }],
  [3, { id: 3, status: "suspended", deleted: false }],
  [4, { id: 4, status: "active", deleted: true }],
]);

function world(overrides: Partial<World> = {}, target: Partial<World["target"]> = {}): World {
  return {
    now,
    groups,
    preferences: new Map(),
    conflicted: new Set(),
    target: { provisionGroupId: null, prefEmailType: null, unmanagedEmailMode: "remove", addressConflictMode: "fail", userCreation: "lazy", ...target },
    ...overrides,
  };
}

function person(overrides: Partial<PersonFact> = {}): PersonFact {
  return {
    id: 7,
    status: "active",
    displayName: "Ada",
    addresses: [{ id: 1, mail: "Ada@Example.org", type: "official" }],
    memberships: [{ groupId: 1, member: true, validFrom: null, validThrough: null }],
    ...overrides,
  };
}

const list: ListFact = {
  id: 10,
  name: "staff",
  status: "active",
  membershipMode: "group",
  membersGroupId: 1,
  adminsGroupId: 2,
  moderatorsGroupId: null,
  eligibilityGroupId: null,
  provisioned: true,
};

describe("validMembership (§8.1)", () => {
  const m = { groupId: 1, member: true, validFrom: null, validThrough: null };
  it("needs member=true, an active, undeleted group and an open window", () => {
    expect(validMembership(m, groups, now)).toBe(true);
    expect(validMembership({ ...m, member: false }, groups, now)).toBe(false);
    expect(validMembership({ ...m, groupId: 3 }, groups, now)).toBe(false);
    expect(validMembership({ ...m, groupId: 4 }, groups, now)).toBe(false);
    expect(validMembership({ ...m, groupId: 99 }, groups, now)).toBe(false);
  });
  it("opens at valid_from (inclusive) and closes at valid_through (exclusive)", () => {
    expect(validMembership({ ...m, validFrom: now }, groups, now)).toBe(true);
    expect(validMembership({ ...m, validFrom: new Date(now.getTime() + 1) }, groups, now)).toBe(false);
    expect(validMembership({ ...m, validThrough: now }, groups, now)).toBe(false);
    expect(validMembership({ ...m, validThrough: new Date(now.getTime() + 1) }, groups, now)).toBe(true);
  });
});

describe("person status rules (§7.1, §8.1)", () => {
  const table: [PersonStatus, boolean, boolean][] = [
    ["active", true, true],
    ["grace_period", true, true],
    ["suspended", true, false],
    ["expired", true, false],
    ["locked", true, false],
    ["pending", false, false],
    ["declined", false, false],
    ["deleted", false, false],
    ["duplicate", false, false],
  ];
  it.each(table)("%s: provisionable %s, list-eligible %s", (status, provisionable, eligible) => {
    expect(personProvisionable(person({ status }), world())).toBe(provisionable);
    expect(personListEligible(person({ status }), world())).toBe(eligible);
  });
  it("a provision group filters people out", () => {
    expect(personProvisionable(person(), world({}, { provisionGroupId: 2 }))).toBe(false);
    expect(personProvisionable(person(), world({}, { provisionGroupId: 1 }))).toBe(true);
  });
  it("a deleted person is never provisionable", () => {
    expect(personProvisionable(person({ deleted: true }), world())).toBe(false);
  });
});

describe("preferredAddress (§2.4)", () => {
  it("follows the type order, then the lowest id", () => {
    const addresses = [
      { id: 5, mail: "personal@x.org", type: "personal" },
      { id: 3, mail: "Official@x.org", type: "official" },
      { id: 9, mail: "delivery@x.org", type: "delivery" },
    ];
    expect(preferredAddress(addresses, null)).toBe("delivery@x.org");
    expect(preferredAddress(addresses.slice(0, 2), null)).toBe("official@x.org");
  });
  it("pref_email_type wins when present, and falls back to the order when absent", () => {
    const addresses = [
      { id: 1, mail: "a@x.org", type: "list" },
      { id: 2, mail: "b@x.org", type: "personal" },
    ];
    expect(preferredAddress(addresses, "personal")).toBe("b@x.org");
    expect(preferredAddress(addresses, "recovery")).toBe("a@x.org");
  });
  it("ties go to the lowest id; unknown types to the lowest id overall; none is null", () => {
    expect(preferredAddress([{ id: 4, mail: "late@x.org", type: "official" }, { id: 2, mail: "early@x.org", type: "official" }], null)).toBe("early@x.org");
    expect(preferredAddress([{ id: 4, mail: "z@x.org", type: "work" }, { id: 2, mail: "y@x.org", type: "home" }], null)).toBe("y@x.org");
    expect(preferredAddress([], null)).toBeNull();
  });
  it("property: the result is lower-cased, one of the addresses, of the best type present", () => {
    const types = [...ADDRESS_TYPE_ORDER, "work", "home"];
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ id: fc.nat(1000), mail: fc.emailAddress(), type: fc.constantFrom(...types) }), { selector: (a) => a.id, minLength: 1, maxLength: 8 }),
        fc.option(fc.constantFrom(...types), { nil: null }),
        (addresses, prefType) => {
          const chosen = preferredAddress(addresses, prefType)!;
          expect(chosen).toBe(chosen.toLowerCase());
          const winner = addresses.find((a) => a.mail.toLowerCase() === chosen && a.id === Math.min(...addresses.filter((b) => b.type === a.type).map((b) => b.id)));
          expect(winner).toBeDefined();
          const rank = (t: string) => (t === prefType ? -1 : ADDRESS_TYPE_ORDER.indexOf(t as never) === -1 ? 99 : ADDRESS_TYPE_ORDER.indexOf(t as never));
          const best = Math.min(...addresses.map((a) => rank(a.type)));
          expect(rank(winner!.type)).toBe(best);
        },
      ),
    );
  });
});

describe("governed roles and verdicts", () => {
  it("governs the roles whose group is bound; self-service governs member", () => {
    expect(governedRoles(list)).toEqual(["member", "owner"]);
    expect(governedRoles({ ...list, membersGroupId: null, adminsGroupId: null, membershipMode: "self_service" })).toEqual(["member"]);
  });
  it("desires a valid member on their preferred address", () => {
    expect(verdict(person(), list, "member", world())).toEqual({ kind: "desired", email: "ada@example.org" });
    expect(verdict(person(), list, "owner", world())).toEqual({ kind: "not_desired" });
    expect(verdict(person(), list, "moderator", world())).toEqual({ kind: "not_desired" });
  });
  it("desires nobody on a suspended, deleted or unprovisioned list", () => {
    expect(verdict(person(), { ...list, status: "suspended" }, "member", world()).kind).toBe("not_desired");
    expect(verdict(person(), { ...list, deleted: true }, "member", world()).kind).toBe("not_desired");
    expect(verdict(person(), { ...list, provisioned: false }, "member", world()).kind).toBe("not_desired");
  });
  it("reports a group member without an address, and a conflicted one", () => {
    expect(verdict(person({ addresses: [] }), list, "member", world()).kind).toBe("no_address");
    expect(verdict(person(), list, "member", world({ conflicted: new Set([7]) })).kind).toBe("conflict");
  });
  it("suspended people keep their user but leave every list", () => {
    const p = person({ status: "suspended" });
    expect(verdict(p, list, "member", world()).kind).toBe("not_desired");
    expect(needsUser(p, world(), false, true)).toBe("yes");
    expect(needsUser(p, world(), true, false)).toBe("no");
  });
  it("creates users lazily unless all_active", () => {
    expect(needsUser(person(), world(), false, false)).toBe("no");
    expect(needsUser(person(), world(), true, false)).toBe("yes");
    expect(needsUser(person(), world({}, { userCreation: "all_active" }), false, false)).toBe("yes");
    expect(needsUser(person({ status: "pending" }), world({}, { userCreation: "all_active" }), false, true)).toBe("no");
  });
});

describe("self-service lists (§8.6)", () => {
  const ss: ListFact = { ...list, membershipMode: "self_service", membersGroupId: null, adminsGroupId: null, eligibilityGroupId: 2 };
  const eligible = person({ memberships: [{ groupId: 2, member: true, validFrom: null, validThrough: null }] });
  const prefs = (v: boolean | null) => new Map([[prefKey(7, 10), v]]);
  it("pref true and eligible → desired; false → not desired; null → untouched", () => {
    expect(verdict(eligible, ss, "member", world({ preferences: prefs(true) })).kind).toBe("desired");
    expect(verdict(eligible, ss, "member", world({ preferences: prefs(false) })).kind).toBe("not_desired");
    expect(verdict(eligible, ss, "member", world({ preferences: prefs(null) })).kind).toBe("untouched");
    expect(verdict(eligible, ss, "member", world()).kind).toBe("untouched");
  });
  it("outside the eligibility group → removed even with pref true (IXP #261)", () => {
    expect(verdict(person(), ss, "member", world({ preferences: prefs(true) })).kind).toBe("not_desired");
  });
});

describe("desiredRoster", () => {
  it("property: desired ⇔ eligible, in the bound group, with an address, no conflict", () => {
    const arbPerson = fc.record({
      id: fc.integer({ min: 1, max: 50 }),
      status: fc.constantFrom<PersonStatus>("active", "grace_period", "suspended", "expired", "pending", "deleted"),
      displayName: fc.string(),
      addresses: fc.array(fc.record({ id: fc.nat(100), mail: fc.emailAddress(), type: fc.constantFrom("official", "personal", "list") }), { maxLength: 3 }),
      memberships: fc.array(
        fc.record({
          groupId: fc.integer({ min: 1, max: 4 }),
          member: fc.boolean(),
          validFrom: fc.option(fc.date({ min: new Date("2026-01-01"), max: new Date("2027-01-01"), noInvalidDate: true }), { nil: null }),
          validThrough: fc.option(fc.date({ min: new Date("2026-01-01"), max: new Date("2027-01-01"), noInvalidDate: true }), { nil: null }),
        }),
        { maxLength: 4 },
      ),
    });
    fc.assert(
      fc.property(fc.uniqueArray(arbPerson, { selector: (p) => p.id, maxLength: 12 }), fc.subarray([1, 2, 3]), (people, conflicted) => {
        const w = world({ conflicted: new Set(conflicted) });
        const roster = desiredRoster(list, "member", people, w);
        for (const p of people) {
          const inGroup1 = p.memberships.some((m) => validMembership(m, groups, now) && m.groupId === 1);
          const expected = inGroup1 && personListEligible(p, w) && p.addresses.length > 0 && !conflicted.includes(p.id);
          expect(roster.desired.has(p.id)).toBe(expected);
          if (expected) expect(roster.desired.get(p.id)).toBe(preferredAddress(p.addresses, null));
        }
      }),
    );
  });
});
