import { describe, expect, it } from "vitest";
import { BAN_EVERYONE, describeChanges, disabledState, isEmptyChange, markedDescription, remainingDifferences, stateChanges, type ListSnapshot } from "./disable-plan";

const previous: ListSnapshot = {
  owners: [
    { email: "Ann@Example.org", displayName: "Ann" },
    { email: "bob@example.org", displayName: null },
  ],
  defaultMemberAction: "defer",
  defaultNonmemberAction: "hold",
  bans: ["spam@example.net"],
  description: "Team list",
};

describe("disabledState", () => {
  it("hands the list to the placeholder, discards every post, bans everyone and marks the description", () => {
    expect(disabledState(previous, "archived", "Listmaster@Example.org")).toEqual({
      owners: [{ email: "listmaster@example.org", displayName: null }],
      defaultMemberAction: "discard",
      defaultNonmemberAction: "discard",
      bans: ["spam@example.net", BAN_EVERYONE],
      description: "[Archived] Team list",
    });
  });

  it("keeps a ban-everyone entry the list already had, once", () => {
    expect(disabledState({ ...previous, bans: [BAN_EVERYONE] }, "disabled", "x@example.org").bans).toEqual([BAN_EVERYONE]);
  });
});

describe("markedDescription", () => {
  it("adds the mark once", () => {
    expect(markedDescription("", "disabled")).toBe("[Disabled] ");
    expect(markedDescription("[Disabled] Old", "disabled")).toBe("[Disabled] Old");
    expect(markedDescription("[Disabled] Old", "archived")).toBe("[Archived] [Disabled] Old");
  });
});

describe("stateChanges and describeChanges", () => {
  it("compares owners without case, lists bans out first, owners in before owners out, bans in last", () => {
    const wanted = disabledState(previous, "disabled", "listmaster@example.org");
    const current = { ...previous, owners: [{ email: "ann@example.org", displayName: null }, ...previous.owners.slice(1)] };
    const changes = stateChanges(current, wanted);
    expect(changes.ownersToRemove).toEqual(["ann@example.org", "bob@example.org"]);
    expect(describeChanges(changes).map((l) => l.what)).toEqual([
      "Owner",
      "Owner",
      "Owner",
      "Default action for members' posts",
      "Default action for non-members' posts",
      "Description",
      "Ban",
    ]);
    const back = describeChanges(stateChanges(wanted, previous));
    expect(back[0]).toEqual({ what: "Ban", from: BAN_EVERYONE, to: "removed" });
    expect(back.find((l) => l.what === "Default action for members' posts")).toEqual({ what: "Default action for members' posts", from: "Discard", to: "Default processing" });
  });

  it("finds nothing to do between equal states, and says what remains otherwise", () => {
    expect(isEmptyChange(stateChanges(previous, previous))).toBe(true);
    expect(remainingDifferences(previous, previous)).toEqual([]);
    expect(remainingDifferences({ ...previous, description: "x" }, previous)).toEqual(["Description: x → Team list"]);
  });
});
