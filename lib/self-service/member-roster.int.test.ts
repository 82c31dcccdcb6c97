import { describe, expect, it } from "vitest";
import { patchLevelPreferences } from "@/lib/mailman/users";
import { clientForTarget } from "@/lib/targets/targets";
import { makeTarget, makeUser, unique } from "@/tests/support/factories";
import { loadMemberRoster } from "./member-roster";

describe("members' view of a roster", () => {
  it("follows member_roster_visibility and never shows an address whose member hides it", async () => {
    const target = await makeTarget(await makeUser({ superuser: true }));
    const { client } = await clientForTarget(target.id);
    const listId = await client.createList({ fqdnListname: `${unique("r")}@${target.domain}` });
    const viewer = await makeUser();
    const open = `${unique("open")}@people.example.test`;
    const hidden = `${unique("hidden")}@people.example.test`;
    for (const [email, name] of [[viewer.primaryEmail!, "Viewer"], [open, "Open Person"], [hidden, "Hidden Person"]] as const) {
      await client.subscribe({ listId, subscriber: email, displayName: name, preVerified: true, preConfirmed: true, preApproved: true });
    }
    await patchLevelPreferences(client, { kind: "address", email: open }, { hide_address: false });

    const outsider = await makeUser();
    await client.patchListConfig(listId, { member_roster_visibility: "moderators" });
    await expect(loadMemberRoster(viewer, target.id, listId)).rejects.toThrow(/owners and moderators/);
    await client.patchListConfig(listId, { member_roster_visibility: "members" });
    await expect(loadMemberRoster(outsider, target.id, listId)).rejects.toThrow(/only to its members/);
    const roster = await loadMemberRoster(viewer, target.id, listId);
    expect(roster.entries).toEqual([
      { displayName: "Hidden Person", email: null },
      { displayName: "Open Person", email: open },
      { displayName: "Viewer", email: null },
    ]);
    await client.patchListConfig(listId, { member_roster_visibility: "public" });
    expect((await loadMemberRoster(outsider, target.id, listId)).entries).toHaveLength(3);
  });
});
