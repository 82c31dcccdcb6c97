import pLimit from "p-limit";
import { beforeAll, describe, expect, it } from "vitest";
import { authorizeList, type ListAccess } from "@/lib/auth/list-access";
import type { Viewer } from "@/lib/auth/users";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { withMailmanCallLog, type MailmanClient } from "@/lib/mailman";
import { patchMemberPreferences } from "@/lib/mailman/members";
import type { TargetSummary } from "@/lib/targets/targets";
import { testClient, uniqueName, whenCoreFree } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { CSV_COLUMNS, rosterCsvLines } from "./csv-export";
import { addStaff, changeAddress, loadMember, removeStaff, unsubscribe, updateModeration, updatePreferences } from "./member";
import { loadRoster, parseRosterQuery } from "./roster";

let superuser: Viewer;
let target: TargetSummary;
let core: MailmanClient;

beforeAll(async () => {
  superuser = await makeUser({ superuser: true });
  target = await makeTarget(superuser);
  core = testClient();
});

interface Fixture {
  owner: Viewer;
  access: ListAccess;
  listId: string;
  ids: Map<string, string>;
}

/** A list owned by a fresh user, with `n` members m00@… (display names "Member 00" …). */
async function ownedList(n: number): Promise<Fixture> {
  const owner = await makeUser();
  const listId = await core.createList({ fqdnListname: `${uniqueName("mem")}@${target.domain}` });
  await core.subscribe({ listId, subscriber: owner.verifiedEmails[0]!, role: "owner", preVerified: true, preConfirmed: true, preApproved: true });
  const ids = new Map<string, string>();
  const limit = pLimit(4);
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      limit(async () => {
        const email = `m${String(i).padStart(2, "0")}@members.example`;
        const result = await whenCoreFree(() =>
          core.subscribe({ listId, subscriber: email, displayName: `Member ${String(i).padStart(2, "0")}`, preVerified: true, preConfirmed: true, preApproved: true }),
        );
        if (result.kind === "subscribed") ids.set(email, result.memberId);
      }),
    ),
  );
  const access = await authorizeList(owner, target.id, listId, "administer");
  return { owner, access, listId, ids };
}

const ref = (f: Fixture) => ({ targetId: f.access.target.id, listId: f.listId });

describe("roster pages", () => {
  it("costs the guard plus ONE core call per page view, with or without search and filters", async () => {
    const f = await ownedList(7);
    const plain = await withMailmanCallLog(async () => {
      const access = await authorizeList(f.owner, target.id, f.listId, "administer");
      return loadRoster(access.client, f.listId, parseRosterQuery({ page: "2", size: "3" }));
    });
    // Guard (the list and one members/find, in parallel) + the roster page = 3 for an owner.
    expect(plain.calls.map((c) => c.path).sort()).toEqual([`/lists/${f.listId}`, `/lists/${f.listId}/roster/member`, "/members/find"].sort());
    const asSuperuser = await withMailmanCallLog(async () => {
      const access = await authorizeList(superuser, target.id, f.listId, "administer");
      return loadRoster(access.client, f.listId, parseRosterQuery({}));
    });
    expect(asSuperuser.calls).toHaveLength(2);
    expect(plain.result).toMatchObject({ total: 7, pageCount: 3 });
    expect(plain.result.rows.map((r) => r.email)).toEqual(["m03@members.example", "m04@members.example", "m05@members.example"]);
    expect(plain.result.rows[0]).toMatchObject({ displayName: "Member 03", deliveryMode: "regular", moderationAction: null, bounceScore: 0, subscriptionMode: "as_address" });

    const searched = await withMailmanCallLog(() => loadRoster(core, f.listId, parseRosterQuery({ q: "MEMBER 0", moderation: "default" })));
    expect(searched.calls).toHaveLength(1);
    expect(searched.calls[0]!.path).toBe("/members/find");
    expect(searched.result.total).toBe(7);
    const byAddress = await loadRoster(core, f.listId, parseRosterQuery({ q: "m06@" }));
    expect(byAddress.rows.map((r) => r.email)).toEqual(["m06@members.example"]);
  });

  it("filters by delivery mode, delivery status (disabled by bounces) and moderation action", async () => {
    const f = await ownedList(4);
    await patchMemberPreferences(core, f.ids.get("m01@members.example")!, { delivery_mode: "mime_digests" });
    await patchMemberPreferences(core, f.ids.get("m02@members.example")!, { delivery_status: "by_bounces" });
    await updateModeration(f.access, { ...ref(f), memberId: f.ids.get("m03@members.example")!, action: "hold" });

    const mode = await loadRoster(core, f.listId, parseRosterQuery({ mode: "mime_digests" }));
    expect(mode.rows.map((r) => r.email)).toEqual(["m01@members.example"]);
    const bounced = await loadRoster(core, f.listId, parseRosterQuery({ status: "by_bounces" }));
    expect(bounced.rows).toEqual([expect.objectContaining({ email: "m02@members.example", deliveryStatus: "by_bounces" })]);
    const held = await loadRoster(core, f.listId, parseRosterQuery({ moderation: "hold" }));
    expect(held.rows.map((r) => [r.email, r.moderationAction])).toEqual([["m03@members.example", "hold"]]);
    const byDefault = await loadRoster(core, f.listId, parseRosterQuery({ moderation: "default" }));
    expect(byDefault.total).toBe(3);
  });

  it("shows the other rosters; a bad query value falls back to its default", async () => {
    const f = await ownedList(1);
    const owners = await loadRoster(core, f.listId, parseRosterQuery({ role: "owner", page: "zero", size: "5000" }));
    expect(owners.query).toMatchObject({ role: "owner", page: 1, size: 25 });
    expect(owners.rows.map((r) => r.email)).toEqual([f.owner.verifiedEmails[0]!.toLowerCase()]);
  });
});

describe("one member", () => {
  it("loads a member with own and effective preferences; another list's member is not found", async () => {
    const f = await ownedList(1);
    const other = await ownedList(1);
    const id = f.ids.get("m00@members.example")!;
    const { result, calls } = await withMailmanCallLog(() => loadMember(f.access, id));
    expect(calls).toHaveLength(3);
    expect(result.member.email).toBe("m00@members.example");
    expect(result.own).toEqual({});
    expect(result.effective).toMatchObject({ delivery_mode: "regular", delivery_status: "enabled" });
    await expect(loadMember(f.access, other.ids.get("m00@members.example")!)).rejects.toBeInstanceOf(NotFoundError);
    await expect(updateModeration(f.access, { ...ref(f), memberId: other.ids.get("m00@members.example")!, action: "hold" })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("sets the moderation action and back to the list default; refuses defer", async () => {
    const f = await ownedList(1);
    const memberId = f.ids.get("m00@members.example")!;
    await updateModeration(f.access, { ...ref(f), memberId, action: "discard" });
    expect((await loadMember(f.access, memberId)).member.moderation_action).toBe("discard");
    await updateModeration(f.access, { ...ref(f), memberId, action: "default" });
    expect((await loadMember(f.access, memberId)).member.moderation_action).toBeUndefined();
    await expect(updateModeration(f.access, { ...ref(f), memberId, action: "defer" as never })).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("sets preferences and returns single keys to inherit", async () => {
    const f = await ownedList(1);
    const memberId = f.ids.get("m00@members.example")!;
    const base = {
      delivery_mode: "inherit",
      delivery_status: "inherit",
      acknowledge_posts: "inherit",
      hide_address: "inherit",
      receive_list_copy: "inherit",
      receive_own_postings: "inherit",
      preferred_language: "inherit",
    } as const;
    const set = await withMailmanCallLog(() =>
      updatePreferences(f.access, { ...ref(f), memberId, preferences: { ...base, delivery_mode: "plaintext_digests", delivery_status: "by_moderator", hide_address: "false" } }),
    );
    expect(set.calls.map((c) => c.method)).toEqual(["GET", "GET", "PATCH"]);
    expect((await loadMember(f.access, memberId)).own).toEqual({ delivery_mode: "plaintext_digests", delivery_status: "by_moderator", hide_address: false });

    await updatePreferences(f.access, { ...ref(f), memberId, preferences: { ...base, delivery_mode: "plaintext_digests" } });
    const after = await loadMember(f.access, memberId);
    expect(after.own).toEqual({ delivery_mode: "plaintext_digests" });
    expect(after.effective.delivery_status).toBe("enabled");

    const none = await withMailmanCallLog(() => updatePreferences(f.access, { ...ref(f), memberId, preferences: { ...base, delivery_mode: "plaintext_digests" } }));
    expect(none.result.changed).toEqual([]);
    expect(none.calls.map((c) => c.method)).toEqual(["GET", "GET"]);
    await expect(updatePreferences(f.access, { ...ref(f), memberId, preferences: { ...base, delivery_status: "by_bounces" } })).rejects.toMatchObject({ field: "delivery_status" });
  });

  it("refuses to move a subscription to an address the person does not own", async () => {
    const f = await ownedList(1);
    const memberId = f.ids.get("m00@members.example")!;
    await expect(changeAddress(f.access, { ...ref(f), memberId, email: "stranger@members.example" })).rejects.toMatchObject({ field: "email" });
  });

  it("unsubscribes a member", async () => {
    const f = await ownedList(2);
    const memberId = f.ids.get("m00@members.example")!;
    await expect(unsubscribe(f.access, { ...ref(f), memberId })).resolves.toMatchObject({ kind: "removed", email: "m00@members.example" });
    expect((await loadRoster(core, f.listId, parseRosterQuery({}))).total).toBe(1);
    await expect(unsubscribe(f.access, { ...ref(f), memberId })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("owners and moderators", () => {
  it("adds and removes a moderator; a duplicate is a conflict", async () => {
    const f = await ownedList(0);
    await addStaff(f.access, { ...ref(f), role: "moderator", email: "Mod@Members.example" });
    await expect(addStaff(f.access, { ...ref(f), role: "moderator", email: "mod@members.example" })).rejects.toBeInstanceOf(ConflictError);
    expect((await loadRoster(core, f.listId, parseRosterQuery({ role: "moderator" }))).rows.map((r) => r.email)).toEqual(["mod@members.example"]);
    await removeStaff(f.access, { ...ref(f), role: "moderator", email: "mod@members.example" });
    expect((await loadRoster(core, f.listId, parseRosterQuery({ role: "moderator" }))).total).toBe(0);
    await expect(removeStaff(f.access, { ...ref(f), role: "moderator", email: "mod@members.example" })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses to remove the last owner, allows it once there is another", async () => {
    const f = await ownedList(0);
    const me = f.owner.verifiedEmails[0]!.toLowerCase();
    await expect(removeStaff(f.access, { ...ref(f), role: "owner", email: me })).rejects.toBeInstanceOf(ConflictError);
    await addStaff(f.access, { ...ref(f), role: "owner", email: "second@members.example" });
    await removeStaff(f.access, { ...ref(f), role: "owner", email: "second@members.example" });
    await expect(removeStaff(f.access, { ...ref(f), role: "owner", email: me })).rejects.toMatchObject({ message: expect.stringMatching(/last owner/) });
    expect((await loadRoster(core, f.listId, parseRosterQuery({ role: "owner" }))).total).toBe(1);
  });
});

describe("CSV export", () => {
  it("streams every member page by page with all columns and the delivery status", async () => {
    const f = await ownedList(12);
    await patchMemberPreferences(core, f.ids.get("m04@members.example")!, { delivery_status: "by_bounces" });
    await updateModeration(f.access, { ...ref(f), memberId: f.ids.get("m05@members.example")!, action: "reject" });
    await core.subscribe({ listId: f.listId, subscriber: "quote@members.example", displayName: 'Doe, "Jane"', preVerified: true, preConfirmed: true, preApproved: true });

    const { result: chunks, calls } = await withMailmanCallLog(async () => {
      const out: string[] = [];
      for await (const chunk of rosterCsvLines(core, f.listId, parseRosterQuery({}), { pageSize: 5 })) out.push(chunk);
      return out;
    });
    // 4 status look-ups + 3 pages of 5 (13 members).
    expect(calls.filter((c) => c.path === "/members/find")).toHaveLength(4);
    expect(calls.filter((c) => c.path.endsWith("/roster/member"))).toHaveLength(3);
    const lines = chunks.join("").split("\r\n");
    expect(lines.at(-1)).toBe("");
    expect(lines[0]).toBe(CSV_COLUMNS.join(","));
    expect(lines).toHaveLength(1 + 13 + 1);
    expect(lines.find((l) => l.startsWith("m04@"))).toMatch(/^m04@members\.example,Member 04,member,regular,by_bounces,,0,,as_address,[0-9a-f]{32}$/);
    expect(lines.find((l) => l.startsWith("m05@"))).toMatch(/,enabled,reject,/);
    expect(lines.find((l) => l.startsWith("quote@"))).toMatch(/^quote@members\.example,"Doe, ""Jane""",member,/);
  });
});
