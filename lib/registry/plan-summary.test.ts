import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { preferredAddress, type PersonFact } from "@/lib/provisioning/desired";
import type { PlanStep } from "@/lib/provisioning/executor";
import { explainPreferred, pageOf, removeReason, summarizePlan, type PlanContext } from "./plan-summary";

const now = new Date("2026-06-01T12:00:00Z");

function person(id: number, overrides: Partial<PersonFact> = {}): PersonFact {
  return { id, status: "active", displayName: `P${id}`, addresses: [{ id: id * 10, mail: `p${id}@example.org`, type: "official" }], memberships: [{ groupId: 1, member: true, validFrom: null, validThrough: null }], ...overrides };
}

function ctx(overrides: Partial<PlanContext> = {}): PlanContext {
  return {
    lists: new Map([
      [7, { id: 7, name: "staff", status: "active", membershipMode: "group", membersGroupId: 1, adminsGroupId: 2, moderatorsGroupId: null, eligibilityGroupId: null, provisioned: true, mailmanListId: "staff.example.org", targetId: 1 }],
      [8, { id: 8, name: "club", status: "active", membershipMode: "self_service", membersGroupId: null, adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: 3, provisioned: true, mailmanListId: "club.example.org", targetId: 1 }],
    ]),
    groups: new Map([
      [1, { id: 1, name: "G-staff", status: "active", deleted: false }],
      [2, { id: 2, name: "G-admins", status: "active", deleted: false }],
      [3, { id: 3, name: "G-club", status: "active", deleted: false }],
    ]),
    people: new Map([[1, person(1)]]),
    policies: new Map([[1, { provisionGroupId: null, prefEmailType: null, unmanagedEmailMode: "remove", addressConflictMode: "fail", userCreation: "lazy" }]]),
    preferences: new Map(),
    now,
    ...overrides,
  };
}

const remove = (over: Partial<PlanStep> = {}): PlanStep => ({ op: "unsubscribe", emailListId: 7, mailmanListId: "staff.example.org", role: "member", email: "p1@example.org", personId: 1, reason: "not_desired", why: "not_desired", ...over });

describe("removal reasons in words", () => {
  it("names the group a person left", () => {
    const c = ctx({ people: new Map([[1, person(1, { memberships: [] })]]) });
    expect(removeReason(remove(), c)).toBe("not in G-staff any more");
  });

  it("says the group is suspended or deleted", () => {
    const groups = new Map(ctx().groups);
    groups.set(1, { id: 1, name: "G-staff", status: "suspended", deleted: false });
    expect(removeReason(remove(), ctx({ groups }))).toBe("G-staff is suspended");
    groups.set(1, { id: 1, name: "G-staff", status: "active", deleted: true });
    expect(removeReason(remove(), ctx({ groups }))).toBe("G-staff was deleted");
  });

  it("tells an expired window from one not open yet", () => {
    const expired = person(1, { memberships: [{ groupId: 1, member: true, validFrom: null, validThrough: new Date("2026-05-01T00:00:00Z") }] });
    expect(removeReason(remove(), ctx({ people: new Map([[1, expired]]) }))).toBe("membership of G-staff expired");
    const future = person(1, { memberships: [{ groupId: 1, member: true, validFrom: new Date("2026-07-01T00:00:00Z"), validThrough: null }] });
    expect(removeReason(remove(), ctx({ people: new Map([[1, future]]) }))).toBe("membership of G-staff not valid yet");
  });

  it("explains unmanaged entries, stale addresses, person status and list status", () => {
    expect(removeReason(remove({ why: "unmanaged", personId: null }), ctx())).toMatch(/^unmanaged, remove mode/);
    const moved = person(1, { addresses: [{ id: 1, mail: "new@example.org", type: "official" }] });
    expect(removeReason(remove({ why: "non_canonical", email: "old@example.org" }), ctx({ people: new Map([[1, moved]]) }))).toBe("old address: the preferred address is now new@example.org");
    expect(removeReason(remove(), ctx({ people: new Map([[1, person(1, { status: "suspended" })]]) }))).toBe("the person is suspended");
    const lists = new Map(ctx().lists);
    lists.set(7, { ...lists.get(7)!, status: "suspended" });
    expect(removeReason(remove(), ctx({ lists }))).toBe("the list is suspended");
  });

  it("self-service: an unsubscribe choice and a lost eligibility", () => {
    const step = remove({ emailListId: 8, mailmanListId: "club.example.org" });
    const inClub = person(1, { memberships: [{ groupId: 3, member: true, validFrom: null, validThrough: null }] });
    expect(removeReason(step, ctx({ people: new Map([[1, inClub]]), preferences: new Map([["1:8", false]]) }))).toBe("chose to unsubscribe (self-service)");
    expect(removeReason(step, ctx({ people: new Map([[1, person(1, { memberships: [] })]]) }))).toBe("not in G-club any more (eligibility)");
  });
});

describe("summarizePlan", () => {
  it("groups per list and role with counts, adds with their group, and people-level steps apart", () => {
    const steps: PlanStep[] = [
      { op: "create_list", emailListId: 7, mailmanListId: "staff@example.org", reason: "x" },
      { op: "create_user", email: "p1@example.org", personId: 1, reason: "x" },
      { op: "subscribe", emailListId: 7, mailmanListId: "staff.example.org", role: "member", email: "p1@example.org", personId: 1, reason: "x" },
      { op: "subscribe", emailListId: 7, mailmanListId: "staff.example.org", role: "owner", email: "p1@example.org", personId: 1, reason: "x" },
      remove({ personId: null, email: "stranger@example.org", why: "unmanaged" }),
      { op: "set_preferred", email: "p1@example.org", personId: 1, reason: "x" },
    ];
    const s = summarizePlan(steps, ctx());
    expect(s.counts).toEqual({ add: 2, remove: 1, update: 1, createUser: 1, deleteUser: 0, list: 1, conflict: 0 });
    expect(s.sections.map((x) => `${x.list}/${x.role}`)).toEqual(["staff.example.org/owner", "staff.example.org/member"]);
    const members = s.sections.find((x) => x.role === "member")!;
    expect(members.add[0]).toMatchObject({ email: "p1@example.org", person: "P1", reason: "in G-staff" });
    expect(members.remove[0]!.reason).toMatch(/^unmanaged, remove mode/);
    expect(s.sections.find((x) => x.role === "owner")!.add[0]!.reason).toBe("owner through G-admins");
    expect(s.updates[0]!.reason).toBe("preferred address becomes p1@example.org");
    expect(s.listOps[0]!.reason).toBe("create Mailman list staff@example.org");
  });
});

describe("pageOf", () => {
  it("pages and clamps", () => {
    const items = Array.from({ length: 60 }, (_, i) => i);
    expect(pageOf(items, 1, 25)).toMatchObject({ page: 1, pageCount: 3, total: 60, items: items.slice(0, 25) });
    expect(pageOf(items, 3, 25).items).toEqual(items.slice(50));
    expect(pageOf(items, 9, 25).page).toBe(3);
    expect(pageOf(items, 0, 25).page).toBe(1);
    expect(pageOf([], 1, 25)).toMatchObject({ page: 1, pageCount: 1, items: [] });
  });

  it("every item appears on exactly one page", () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 200 }), fc.integer({ min: 1, max: 50 }), (items, perPage) => {
        const { pageCount } = pageOf(items, 1, perPage);
        const all = Array.from({ length: pageCount }, (_, i) => pageOf(items, i + 1, perPage).items).flat();
        expect(all).toEqual(items);
      }),
    );
  });
});

describe("explainPreferred", () => {
  it("agrees with the reconciler's rule and says why", () => {
    const addresses = [
      { id: 1, mail: "home@example.org", type: "personal" },
      { id: 2, mail: "work@example.org", type: "official" },
      { id: 3, mail: "Work2@example.org", type: "official" },
    ];
    expect(explainPreferred(addresses, null)).toMatchObject({ id: 2, email: "work@example.org" });
    expect(explainPreferred(addresses, null)!.why).toMatch(/type 'official' ranks first .*oldest of 2 'official'/);
    expect(explainPreferred(addresses, "personal")).toMatchObject({ id: 1, why: "the server prefers type 'personal'" });
    expect(explainPreferred(addresses, "list")!.why).toMatch(/^no 'list' address; /);
    expect(explainPreferred([], null)).toBeNull();
  });

  it("always picks what preferredAddress picks", () => {
    const types = fc.constantFrom("list", "delivery", "official", "personal", "other", "recovery");
    fc.assert(
      fc.property(fc.uniqueArray(fc.record({ id: fc.integer({ min: 1, max: 1000 }), mail: fc.emailAddress(), type: types }), { selector: (a) => a.id, maxLength: 6 }), fc.option(types, { nil: null }), (addresses, pref) => {
        const unique = addresses.filter((a, i) => addresses.findIndex((b) => b.mail.toLowerCase() === a.mail.toLowerCase()) === i);
        expect(explainPreferred(unique, pref)?.email ?? null).toBe(preferredAddress(unique, pref));
      }),
    );
  });
});
