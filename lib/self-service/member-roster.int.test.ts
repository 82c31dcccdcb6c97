import { describe, expect, it } from "vitest";
import { withMailmanCallLog } from "@/lib/mailman/instrumentation";
import { patchLevelPreferences } from "@/lib/mailman/users";
import { clientForTarget } from "@/lib/targets/targets";
import { whenCoreFree } from "@/tests/support/core";
import { makeTarget, makeUser, unique } from "@/tests/support/factories";
import { loadMemberRoster, revealMemberAddress, ROSTER_PAGE_SIZE } from "./member-roster";

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
    expect(roster.entries.map((e) => e.displayName).sort()).toEqual(["Hidden Person", "Open Person", "Viewer"]);
    // The page itself carries no address at all.
    expect(JSON.stringify(roster)).not.toContain("@people.example.test");
    const idOf = (name: string) => roster.entries.find((e) => e.displayName === name)!.memberId;
    expect(await revealMemberAddress(viewer, { targetId: target.id, listId, memberId: idOf("Open Person") })).toEqual({ email: open });
    expect(await revealMemberAddress(viewer, { targetId: target.id, listId, memberId: idOf("Hidden Person") })).toEqual({ email: null });
    // Hidden at the subscription level wins over "show" at the address level.
    await patchLevelPreferences(client, { kind: "member", memberId: idOf("Open Person") }, { hide_address: true });
    expect(await revealMemberAddress(viewer, { targetId: target.id, listId, memberId: idOf("Open Person") })).toEqual({ email: null });
    await expect(revealMemberAddress(outsider, { targetId: target.id, listId, memberId: idOf("Viewer") })).rejects.toThrow(/only to its members/);

    await client.patchListConfig(listId, { member_roster_visibility: "public" });
    expect((await loadMemberRoster(outsider, target.id, listId)).entries).toHaveLength(3);
  });

  it("costs the same few core calls per page however many members the list has", async () => {
    const target = await makeTarget(await makeUser({ superuser: true }));
    const { client } = await clientForTarget(target.id);
    const listId = await client.createList({ fqdnListname: `${unique("big")}@${target.domain}` });
    await client.patchListConfig(listId, { member_roster_visibility: "members" });
    const viewer = await makeUser();
    await client.subscribe({ listId, subscriber: viewer.primaryEmail!, displayName: "Viewer", preVerified: true, preConfirmed: true, preApproved: true });

    const small = await withMailmanCallLog(() => loadMemberRoster(viewer, target.id, listId));
    expect(small.result.total).toBe(1);
    for (let i = 0; i < ROSTER_PAGE_SIZE + 5; i++) {
      const email = `${unique("m")}@people.example.test`;
      await whenCoreFree(() => client.subscribe({ listId, subscriber: email, displayName: `Member ${i}`, preVerified: true, preConfirmed: true, preApproved: true }));
      // Some let their address show: that must not cost the page anything either.
      if (i % 3 === 0) await whenCoreFree(() => patchLevelPreferences(client, { kind: "address", email }, { hide_address: false }));
    }
    const first = await withMailmanCallLog(() => loadMemberRoster(viewer, target.id, listId));
    const second = await withMailmanCallLog(() => loadMemberRoster(viewer, target.id, listId, 2));
    expect(first.result.total).toBe(ROSTER_PAGE_SIZE + 6);
    expect(first.result.entries).toHaveLength(ROSTER_PAGE_SIZE);
    expect(second.result.entries).toHaveLength(6);
    expect(first.result.pages).toBe(2);
    // Config, one roles look-up per verified address, one roster page.
    const budget = 2 + viewer.verifiedEmails.length;
    for (const view of [small, first, second]) {
      expect(view.calls.length).toBe(budget);
      expect(view.calls.every((c) => c.method === "GET")).toBe(true);
    }
  });
});
