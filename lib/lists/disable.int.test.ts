import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { authorizeDisabledList } from "@/lib/auth/former-owner";
import { authorizeList, type ListAccess } from "@/lib/auth/list-access";
import type { Viewer } from "@/lib/auth/users";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";
import type { MailmanClient } from "@/lib/mailman";
import { addBan } from "@/lib/mailman/bans";
import type { TargetSummary } from "@/lib/targets/targets";
import { testClient, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { startFaultProxy, type FaultProxy } from "@/tests/support/fault-proxy";
import { BAN_EVERYONE } from "./disable-plan";
import { disableList, enableList, openDisablement, placeholderOwnerFor, previewDisable, previewEnable, readListState } from "./disable";

let superuser: Viewer;
let target: TargetSummary;
let core: MailmanClient;
let proxy: FaultProxy;

beforeAll(async () => {
  superuser = await makeUser({ superuser: true });
  target = await makeTarget(superuser);
  core = testClient();
  proxy = await startFaultProxy();
});

afterAll(async () => {
  await proxy?.close();
});

const flags = { preVerified: true, preConfirmed: true, preApproved: true } as const;

/** A list as lists are before they are disabled: two owners, a member, bans, held posts, a description. */
async function populatedList(): Promise<{ access: ListAccess; owner: Viewer; listId: string }> {
  const owner = await makeUser();
  const listId = await core.createList({ fqdnListname: `${uniqueName("dis")}@${target.domain}` });
  await core.subscribe({ listId, subscriber: owner.verifiedEmails[0]!, role: "owner", displayName: "First Owner", ...flags });
  await core.subscribe({ listId, subscriber: "second.owner@dis.example", role: "owner", ...flags });
  await core.subscribe({ listId, subscriber: "reader@dis.example", ...flags });
  await core.patchListConfig(listId, { description: "Team announcements", default_member_action: "hold", default_nonmember_action: "reject" });
  await addBan(core, { listId }, "spammer@dis.example");
  await addBan(core, { listId }, "^bot\\d+@.*$");
  return { access: await authorizeList(owner, target.id, listId, "administer"), owner, listId };
}

const sorted = <T>(xs: T[]) => [...xs].sort();

async function auditActions(listId: string): Promise<string[]> {
  const db = await getDb();
  const rows = await db
    .select({ action: auditEvents.action })
    .from(auditEvents)
    .where(and(eq(auditEvents.targetId, target.id), eq(auditEvents.subject, listId)));
  return rows.map((r) => r.action);
}

describe("disable and re-enable a list", () => {
  it("shows the plan, disables in one step, marks the list, and re-enabling restores exactly the previous owners, actions, bans and description", async () => {
    const { access, owner, listId } = await populatedList();
    const before = await readListState(core, listId);
    const placeholder = await placeholderOwnerFor(core);

    const preview = await previewDisable(access, "disabled");
    expect(preview.placeholderOwner).toBe(placeholder);
    expect(preview.lines.map((l) => `${l.what}: ${l.from} → ${l.to}`)).toEqual([
      `Owner: — → ${placeholder} added`,
      // The roster comes ordered by address.
      ...sorted([owner.verifiedEmails[0]!, "second.owner@dis.example"]).map((email) => `Owner: ${email} → removed`),
      "Default action for members' posts: Hold for moderation → Discard",
      "Default action for non-members' posts: Reject → Discard",
      "Description: Team announcements → [Disabled] Team announcements",
      `Ban: — → ${BAN_EVERYONE} added`,
    ]);
    // The preview changed nothing.
    expect(await readListState(core, listId)).toEqual(before);

    await disableList(access, "disabled");
    const disabled = await readListState(core, listId);
    expect(disabled.owners.map((o) => o.email)).toEqual([placeholder]);
    expect(disabled.defaultMemberAction).toBe("discard");
    expect(disabled.defaultNonmemberAction).toBe("discard");
    expect(sorted(disabled.bans)).toEqual(sorted([...before.bans, BAN_EVERYONE]));
    expect(disabled.description).toBe("[Disabled] Team announcements");
    // Nobody can join any more, and the member is still there.
    await expect(core.subscribe({ listId, subscriber: "newcomer@dis.example", ...flags })).rejects.toMatchObject({ status: 400, description: "Membership is banned" });
    expect((await core.fullRoster(listId, "member", ["email"])).map((m) => m.email)).toEqual(["reader@dis.example"]);
    expect((await openDisablement(target.id, listId))?.state).toBe("disabled");
    await expect(disableList(access, "archived")).rejects.toBeInstanceOf(ConflictError);

    // The owner is no longer an owner in the core, yet may re-enable: the record names them.
    await expect(authorizeList(owner, target.id, listId, "administer")).rejects.toSatisfy((e) => e instanceof ForbiddenError || e instanceof NotFoundError);
    const formerOwner = await authorizeDisabledList(owner, target.id, listId);
    expect(formerOwner.formerOwner).toBe(true);
    const stranger = await makeUser();
    await expect(authorizeDisabledList(stranger, target.id, listId)).rejects.toSatisfy((e) => e instanceof ForbiddenError || e instanceof NotFoundError);

    const enablePreview = await previewEnable(formerOwner);
    expect(enablePreview.lines.map((l) => l.what)).toEqual(["Ban", "Owner", "Owner", "Owner", "Default action for members' posts", "Default action for non-members' posts", "Description"]);

    await enableList(formerOwner);
    const after = await readListState(core, listId);
    expect(sorted(after.owners.map((o) => o.email))).toEqual(sorted(before.owners.map((o) => o.email)));
    expect(after.owners.find((o) => o.email === owner.verifiedEmails[0])?.displayName).toBe("First Owner");
    expect(after.defaultMemberAction).toBe(before.defaultMemberAction);
    expect(after.defaultNonmemberAction).toBe(before.defaultNonmemberAction);
    expect(sorted(after.bans)).toEqual(sorted(before.bans));
    expect(after.description).toBe(before.description);
    expect(after).toEqual({ ...before, owners: after.owners });
    expect(await openDisablement(target.id, listId)).toBeNull();
    expect((await authorizeList(owner, target.id, listId, "administer")).roles.has("owner")).toBe(true);
    expect(await auditActions(listId)).toEqual(expect.arrayContaining(["list.disable", "list.enable"]));
  });

  it("archives with the [Archived] mark and does not mark a description twice", async () => {
    const { access, listId } = await populatedList();
    await core.patchListConfig(listId, { description: "[Archived] Old project" });
    await disableList(access, "archived");
    expect((await readListState(core, listId)).description).toBe("[Archived] Old project");
    expect((await openDisablement(target.id, listId))?.mode).toBe("archived");
    await enableList({ ...access, viewer: superuser });
    expect((await readListState(core, listId)).description).toBe("[Archived] Old project");
    expect(await auditActions(listId)).toContain("list.archive");
  });

  it("a core failure mid-way leaves a recorded, half-disabled list that a retry finishes; re-enabling then restores it exactly", async () => {
    const { access, listId } = await populatedList();
    const before = await readListState(core, listId);
    const proxied = { ...access, client: proxy.client };
    proxy.failNext((method, path) => method === "PATCH" && path === `/lists/${listId}/config`);

    await expect(disableList(proxied, "disabled")).rejects.toThrow(/part-way.*Finish disabling/);
    expect(proxy.failed).toContain(`PATCH /lists/${listId}/config`);
    const record = await openDisablement(target.id, listId);
    expect(record?.state).toBe("disabling");
    expect(record?.error).toMatch(/./);
    // The owners were already replaced; the settings and the ban were not.
    const half = await readListState(core, listId);
    expect(half.owners).toHaveLength(1);
    expect(half.defaultMemberAction).toBe("hold");
    expect(half.bans).not.toContain(BAN_EVERYONE);

    const superAccess = await authorizeList(superuser, target.id, listId, "administer");
    const retry = await previewDisable(superAccess, "disabled");
    expect(retry.open?.state).toBe("disabling");
    // The retry works from the state recorded before anything changed, not from the half-done list.
    expect(retry.lines.map((l) => l.what)).toEqual(["Default action for members' posts", "Default action for non-members' posts", "Description", "Ban"]);
    await disableList(superAccess, "disabled");
    expect((await readListState(core, listId)).defaultMemberAction).toBe("discard");

    await enableList(superAccess);
    expect(await readListState(core, listId)).toEqual({ ...before, owners: (await readListState(core, listId)).owners });
    expect(sorted((await readListState(core, listId)).owners.map((o) => o.email))).toEqual(sorted(before.owners.map((o) => o.email)));
  });

  it("a failed disabling can be undone straight away, and a failed re-enabling finished by running it again", async () => {
    const { access, listId } = await populatedList();
    const before = await readListState(core, listId);
    const proxied = { ...access, client: proxy.client };
    // The ban is the last step: fail it.
    proxy.failNext((method, path) => method === "POST" && path === `/lists/${listId}/bans`);
    await expect(disableList(proxied, "disabled")).rejects.toBeInstanceOf(ConflictError);

    const superAccess = await authorizeList(superuser, target.id, listId, "administer");
    proxy.failNext((method, path) => method === "PATCH" && path === `/lists/${listId}/config`);
    await expect(enableList({ ...superAccess, client: proxy.client })).rejects.toThrow(/part-way.*Re-enable/);
    expect((await openDisablement(target.id, listId))?.state).toBe("enabling");

    await enableList(superAccess);
    const after = await readListState(core, listId);
    expect(sorted(after.owners.map((o) => o.email))).toEqual(sorted(before.owners.map((o) => o.email)));
    expect(after).toEqual({ ...before, owners: after.owners });
    expect(await openDisablement(target.id, listId)).toBeNull();
  });

  it("warns that members whose own action is Accept still get through", async () => {
    const { access, listId } = await populatedList();
    const found = await core.findMembers({ listId, subscriber: "reader@dis.example" }, { count: 5, page: 1 });
    await core.send("PATCH", `/members/${found.entries[0]!.member_id}`, { moderation_action: "accept" });
    const preview = await previewDisable(access, "disabled");
    expect(preview.warnings.join(" ")).toMatch(/1 member has their own moderation action “Accept”/);
  });

  it("refuses to re-enable a list that is not disabled", async () => {
    const { access } = await populatedList();
    await expect(enableList(access)).rejects.toBeInstanceOf(ConflictError);
    await expect(previewEnable(access)).rejects.toBeInstanceOf(ConflictError);
  });
});
