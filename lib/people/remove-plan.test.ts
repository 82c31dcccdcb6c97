import { describe, expect, it } from "vitest";
import { confirmationMatches, leavesNoOwner, planRemoval, removalAnswer, removeEverywhereSchema, startRemoveEverywhereSchema, type FoundMembership } from "./remove-plan";

const A = { targetId: 1, targetName: "Server A" };
const B = { targetId: 2, targetName: "Server B" };
const jane = "jane@example.org";
const alt = "jane.alt@example.org";

const found: FoundMembership[] = [
  { ...A, listId: "one.a.example", role: "member", email: jane },
  { ...A, listId: "two.a.example", role: "owner", email: jane },
  { ...A, listId: "two.a.example", role: "member", email: jane },
  { ...A, listId: "solo.a.example", role: "owner", email: jane },
  { ...B, listId: "three.b.example", role: "moderator", email: jane },
  { ...B, listId: "three.b.example", role: "nonmember", email: jane },
];

const owners = new Map<string, string[]>([
  ["1:two.a.example", [jane, "boss@example.org"]],
  ["1:solo.a.example", [jane]],
]);

const summary = (items: ReturnType<typeof planRemoval>["items"]) => items.map((i) => `${i.kind}:${i.targetId}:${i.listId ?? "-"}:${i.role ?? "-"}:${i.email}:${i.action}`);

describe("planRemoval", () => {
  it("removes only member roles unless owner or moderator is chosen", () => {
    const plan = planRemoval({ memberships: found, roles: ["member"], owners, banServers: [], banAddresses: [jane] });
    expect(summary(plan.items)).toEqual([`membership:1:one.a.example:member:${jane}:remove`, `membership:1:two.a.example:member:${jane}:remove`]);
    // Owner, moderator and the nonmember record stay, and the preview says so.
    expect(plan.kept.map((m) => `${m.listId}:${m.role}`)).toEqual(["two.a.example:owner", "solo.a.example:owner", "three.b.example:moderator", "three.b.example:nonmember"]);
  });

  it("refuses the owner role where the person is the last owner, and removes it where another owner stays", () => {
    const plan = planRemoval({ memberships: found, roles: ["member", "owner", "moderator"], owners, banServers: [], banAddresses: [jane] });
    expect(summary(plan.items)).toEqual([
      `membership:1:one.a.example:member:${jane}:remove`,
      `membership:1:two.a.example:owner:${jane}:remove`,
      `membership:1:two.a.example:member:${jane}:remove`,
      `membership:1:solo.a.example:owner:${jane}:refuse_last_owner`,
      `membership:2:three.b.example:moderator:${jane}:remove`,
    ]);
    expect(plan.kept.map((m) => m.role)).toEqual(["nonmember"]);
  });

  it("counts all of the person's owner addresses on a list: two of hers and nobody else is still the last owner", () => {
    const both: FoundMembership[] = [
      { ...A, listId: "pair.a.example", role: "owner", email: jane },
      { ...A, listId: "pair.a.example", role: "owner", email: alt },
    ];
    const plan = planRemoval({ memberships: both, roles: ["owner"], owners: new Map([["1:pair.a.example", [jane, alt]]]), banServers: [], banAddresses: [jane, alt] });
    expect(plan.items.map((i) => i.action)).toEqual(["refuse_last_owner", "refuse_last_owner"]);
  });

  it("adds one global ban per server and address after the memberships when chosen", () => {
    const plan = planRemoval({ memberships: found.slice(0, 1), roles: ["member"], owners, banServers: [A, B], banAddresses: [jane, "JANE@example.org", alt] });
    expect(summary(plan.items)).toEqual([
      `membership:1:one.a.example:member:${jane}:remove`,
      `ban:1:-:-:${jane}:ban`,
      `ban:1:-:-:${alt}:ban`,
      `ban:2:-:-:${jane}:ban`,
      `ban:2:-:-:${alt}:ban`,
    ]);
  });

  it("lists each membership once even when the search found it twice", () => {
    const plan = planRemoval({ memberships: [found[0]!, { ...found[0]!, email: jane.toUpperCase() }], roles: ["member"], owners, banServers: [], banAddresses: [] });
    expect(plan.items).toHaveLength(1);
  });
});

describe("leavesNoOwner", () => {
  it("is true only when every owner is being removed", () => {
    expect(leavesNoOwner([jane], [jane])).toBe(true);
    expect(leavesNoOwner(["Jane@Example.org", alt], [jane, alt])).toBe(true);
    expect(leavesNoOwner([jane, "boss@example.org"], [jane])).toBe(false);
  });
});

describe("removalAnswer", () => {
  it("reads 'not there' as removed only for an item in doubt", () => {
    expect(removalAnswer(true, false).outcome).toBe("removed");
    expect(removalAnswer(false, false).outcome).toBe("not_member");
    expect(removalAnswer(false, true).outcome).toBe("removed");
  });
});

describe("input", () => {
  it("defaults to the member role only, keeps the chosen roles in a fixed order and needs one", () => {
    expect(removeEverywhereSchema.parse({ address: " Jane@Example.org " })).toMatchObject({ address: jane, roles: ["member"], globalBan: false, otherAddresses: false });
    expect(removeEverywhereSchema.parse({ address: jane, roles: ["moderator", "owner"] }).roles).toEqual(["owner", "moderator"]);
    expect(removeEverywhereSchema.safeParse({ address: jane, roles: [] }).success).toBe(false);
    expect(removeEverywhereSchema.safeParse({ address: jane, roles: ["nonmember"] }).success).toBe(false);
    expect(removeEverywhereSchema.safeParse({ address: "*@example.org" }).success).toBe(false);
  });

  it("asks for the address typed as confirmation", () => {
    expect(startRemoveEverywhereSchema.parse({ address: jane, confirmation: "x" }).confirmation).toBe("x");
    expect(confirmationMatches(jane, " JANE@example.org ")).toBe(true);
    expect(confirmationMatches(jane, "jane@example.com")).toBe(false);
  });
});
