import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffRole, identityPlan, selfServiceInit, syncHash, type RosterEntry } from "./diff";

const U = (n: number) => n.toString(16).padStart(32, "0");
const entry = (memberId: string, email: string, userId: string | null, mode: RosterEntry["subscriptionMode"] = "as_address", role = "member"): RosterEntry => ({
  memberId,
  email,
  role,
  userId,
  subscriptionMode: mode,
});

describe("diffRole (§8.1 canonical form, §8.2 P4)", () => {
  const userToPerson = new Map([
    [U(1), 1],
    [U(2), 2],
    [U(3), 3],
  ]);

  it("adds the missing, keeps the canonical, removes the undesired and unmanaged", () => {
    const d = diffRole({
      role: "member",
      desired: new Map([
        [1, "a@x.org"],
        [2, "b@x.org"],
      ]),
      actual: [entry("m1", "a@x.org", U(1), "as_user"), entry("m3", "c@x.org", U(3), "as_user"), entry("mu", "stranger@x.org", U(99))],
      userToPerson,
      unmanagedMode: "remove",
    });
    expect(d.kept).toBe(1);
    expect(d.adds).toEqual([{ role: "member", personId: 2, email: "b@x.org" }]);
    expect(d.removes.map((r) => [r.memberId, r.reason, r.bulkSafe])).toEqual([
      ["m3", "not_desired", true],
      ["mu", "unmanaged", true],
    ]);
  });

  it("ignore mode leaves unmanaged entries; nonmember and other roles are never looked at", () => {
    const d = diffRole({
      role: "member",
      desired: new Map(),
      actual: [entry("mu", "stranger@x.org", null), entry("n1", "a@x.org", U(1), "as_address", "nonmember"), entry("o1", "a@x.org", U(1), "as_address", "owner")],
      userToPerson,
      unmanagedMode: "ignore",
    });
    expect(d.removes).toEqual([]);
  });

  it("an as_user member entry is canonical whatever address it shows (it follows the preferred address)", () => {
    const d = diffRole({ role: "member", desired: new Map([[1, "new@x.org"]]), actual: [entry("m1", "old@x.org", U(1), "as_user")], userToPerson, unmanagedMode: "remove" });
    expect(d).toEqual({ adds: [], removes: [], kept: 1 });
  });

  it("owners must be on the preferred address: a new one is added and the old one removed", () => {
    const d = diffRole({ role: "owner", desired: new Map([[1, "new@x.org"]]), actual: [entry("o1", "old@x.org", U(1), "as_address", "owner")], userToPerson, unmanagedMode: "remove" });
    expect(d.adds).toEqual([{ role: "owner", personId: 1, email: "new@x.org" }]);
    expect(d.removes).toEqual([{ role: "owner", memberId: "o1", email: "old@x.org", personId: 1, reason: "non_canonical", bulkSafe: false }]);
  });

  it("a duplicate as_address row on the kept address is removed one by one, never in bulk", () => {
    const d = diffRole({
      role: "member",
      desired: new Map([[1, "a@x.org"]]),
      actual: [entry("m1", "a@x.org", U(1), "as_user"), entry("m2", "a@x.org", U(1), "as_address"), entry("m3", "alt@x.org", U(1), "as_address")],
      userToPerson,
      unmanagedMode: "remove",
    });
    expect(d.kept).toBe(1);
    expect(d.removes.map((r) => [r.memberId, r.bulkSafe])).toEqual([
      ["m2", false],
      ["m3", true],
    ]);
  });

  it("P5: only the person's own entries, never unmanaged ones", () => {
    const d = diffRole({
      role: "member",
      desired: new Map(),
      actual: [entry("m1", "a@x.org", U(1), "as_user"), entry("m2", "b@x.org", U(2), "as_user"), entry("mu", "z@x.org", null)],
      userToPerson,
      unmanagedMode: "remove",
      onlyPersonId: 2,
    });
    expect(d.removes.map((r) => r.memberId)).toEqual(["m2"]);
  });

  it("self-service: people with no preference are untouched", () => {
    const d = diffRole({ role: "member", desired: new Map(), untouched: new Set([1]), actual: [entry("m1", "a@x.org", U(1), "as_user")], userToPerson, unmanagedMode: "ignore" });
    expect(d.removes).toEqual([]);
  });

  it("property: applying the diff yields exactly one entry per desired person and nothing undesired", () => {
    const arb = fc.record({
      desired: fc.dictionary(fc.constantFrom("1", "2", "3", "4"), fc.constantFrom("a@x.org", "b@x.org", "c@x.org")),
      actual: fc.array(
        fc.record({ user: fc.constantFrom(1, 2, 3, 4, 99, 0), email: fc.constantFrom("a@x.org", "b@x.org", "c@x.org", "d@x.org"), mode: fc.constantFrom("as_user" as const, "as_address" as const) }),
        { maxLength: 10 },
      ),
      remove: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, ({ desired, actual, remove }) => {
        const people = new Map([1, 2, 3, 4].map((n) => [U(n), n]));
        const desiredMap = new Map(Object.entries(desired).map(([k, v]) => [Number(k), v]));
        const entries = actual.map((a, i) => entry(`m${i}`, a.email, a.user === 0 ? null : U(a.user), a.mode));
        const d = diffRole({ role: "member", desired: desiredMap, actual: entries, userToPerson: people, unmanagedMode: remove ? "remove" : "ignore" });
        const removed = new Set(d.removes.map((r) => r.memberId));
        const after = entries.filter((e) => !removed.has(e.memberId));
        for (const [personId] of desiredMap) {
          const own = after.filter((e) => e.userId === U(personId)).length + d.adds.filter((a) => a.personId === personId).length;
          expect(own).toBe(1);
        }
        for (const e of after) {
          const personId = e.userId ? people.get(e.userId) : undefined;
          if (personId === undefined) expect(remove).toBe(false);
          else expect(desiredMap.has(personId)).toBe(true);
        }
        // Re-diffing the result adds and removes nothing.
        const next = [...after, ...d.adds.map((a, i) => entry(`n${i}`, a.email, U(a.personId), "as_user"))];
        const again = diffRole({ role: "member", desired: desiredMap, actual: next, userToPerson: people, unmanagedMode: remove ? "remove" : "ignore" });
        expect(again.adds).toEqual([]);
        expect(again.removes).toEqual([]);
      }),
    );
  });
});

describe("identityPlan (§8.2 P3 steps 4–8)", () => {
  const base = {
    registry: ["a@x.org", "B@x.org"],
    preferred: "b@x.org",
    displayName: "Ada",
    mailman: [
      { email: "a@x.org", verified: true },
      { email: "old@x.org", verified: true },
    ],
    mailmanPreferred: "old@x.org",
    mailmanDisplayName: "Ada",
    syncDisplayName: true,
    deleteStaleAddresses: true,
  };
  it("adds, verifies, switches the preferred address, then deletes the stale one", () => {
    expect(identityPlan(base)).toEqual({ addAddresses: ["b@x.org"], verify: ["b@x.org"], setPreferred: "b@x.org", displayName: null, deleteAddresses: ["old@x.org"] });
  });
  it("is empty when the core already matches", () => {
    const plan = identityPlan({ ...base, mailman: [{ email: "a@x.org", verified: true }, { email: "b@x.org", verified: true }], mailmanPreferred: "b@x.org" });
    expect(plan).toEqual({ addAddresses: [], verify: [], setPreferred: null, displayName: null, deleteAddresses: [] });
  });
  it("keeps stale addresses when told to, and syncs the display name", () => {
    const plan = identityPlan({ ...base, deleteStaleAddresses: false, mailmanDisplayName: "A." });
    expect(plan.deleteAddresses).toEqual([]);
    expect(plan.displayName).toBe("Ada");
  });
  it("the sync hash ignores case and order", () => {
    expect(syncHash({ displayName: "A", addresses: ["X@y.org", "a@y.org"], preferred: "a@y.org", policy: "p" })).toBe(
      syncHash({ displayName: "A", addresses: ["a@y.org", "x@y.org"], preferred: "A@y.org", policy: "p" }),
    );
  });
});

describe("selfServiceInit (§8.6)", () => {
  it("sets true for people on the roster, false for the rest, skips explicit preferences, lists unknown addresses", () => {
    const report = selfServiceInit(
      [
        { personId: 1, addresses: ["A@x.org"], eligible: true, pref: null },
        { personId: 2, addresses: ["b@x.org"], eligible: true, pref: null },
        { personId: 3, addresses: ["c@x.org"], eligible: true, pref: true },
        { personId: 4, addresses: ["d@x.org"], eligible: true, pref: false },
        { personId: 5, addresses: ["e@x.org"], eligible: false, pref: null },
      ],
      ["a@x.org", "c@x.org", "d@x.org", "zz@x.org"],
    );
    expect(report.set).toEqual([
      { personId: 1, subscribed: true },
      { personId: 2, subscribed: false },
    ]);
    expect(report).toMatchObject({ subscribed: ["a@x.org"], skipped: ["c@x.org"], unsubscribed: ["b@x.org"], unknown: ["zz@x.org"] });
  });
});
