import { beforeAll, describe, expect, it } from "vitest";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { withMailmanCallLog, type MailmanClient } from "@/lib/mailman";
import type { TargetSummary } from "@/lib/targets/targets";
import { testClient, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { authorizeList } from "./list-access";
import type { Viewer } from "./users";

/**
 * The list guard against a real core: who may view, moderate and administer, and what each
 * answer costs in REST calls (console.md §6, §9).
 */
let core: MailmanClient;
let target: TargetSummary;
let superuser: Viewer;
let owner: Viewer;
let moderator: Viewer;
let member: Viewer;
let stranger: Viewer;
let unverified: Viewer;
let advertisedList: string;
let hiddenList: string;

async function makeList(advertised: boolean): Promise<string> {
  const listId = await core.createList({ fqdnListname: `${uniqueName("g")}@${target.domain}`, styleName: (await core.listStyles()).default });
  await core.patchListConfig(listId, { advertised });
  return listId;
}

async function addRole(listId: string, email: string, role: "owner" | "moderator" | "member") {
  await core.subscribe({ listId, subscriber: email, role, preVerified: true, preConfirmed: true, preApproved: true, sendWelcomeMessage: false });
}

beforeAll(async () => {
  core = testClient();
  superuser = await makeUser({ superuser: true });
  target = await makeTarget(superuser);
  [owner, moderator, member, stranger, unverified] = await Promise.all([
    makeUser(),
    makeUser(),
    makeUser(),
    makeUser(),
    makeUser({ verified: false }),
  ]);
  advertisedList = await makeList(true);
  hiddenList = await makeList(false);
  for (const listId of [advertisedList, hiddenList]) {
    await addRole(listId, owner.verifiedEmails[0]!, "owner");
    await addRole(listId, moderator.verifiedEmails[0]!, "moderator");
    await addRole(listId, member.verifiedEmails[0]!, "member");
    await addRole(listId, unverified.emails[0]!.email, "owner");
  }
});

describe("authorizeList", () => {
  it("lets an owner administer", async () => {
    const access = await authorizeList(owner, target.id, hiddenList, "administer");
    expect(access.list.list_id).toBe(hiddenList);
    expect(access.roles.has("owner")).toBe(true);
    expect(access.target.id).toBe(target.id);
    expect(JSON.stringify(access.target)).not.toMatch(/password/i);
  });

  it("lets a moderator moderate but not administer", async () => {
    const access = await authorizeList(moderator, target.id, hiddenList, "moderate");
    expect([...access.roles]).toEqual(["moderator"]);
    await expect(authorizeList(moderator, target.id, hiddenList, "administer")).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("lets a plain user view an advertised list but not moderate it", async () => {
    const access = await authorizeList(stranger, target.id, advertisedList, "view");
    expect(access.roles.size).toBe(0);
    await expect(authorizeList(stranger, target.id, advertisedList, "moderate")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(authorizeList(stranger, target.id, advertisedList, "administer")).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("hides an unadvertised list from a plain user as if it did not exist", async () => {
    for (const capability of ["view", "moderate", "administer"] as const) {
      await expect(authorizeList(stranger, target.id, hiddenList, capability)).rejects.toBeInstanceOf(NotFoundError);
    }
  });

  it("shows an unadvertised list to its members, who still may not moderate it", async () => {
    const access = await authorizeList(member, target.id, hiddenList, "view");
    expect([...access.roles]).toEqual(["member"]);
    // Membership is only looked up for "view" (it costs a call per address), so a member asking
    // to moderate an unadvertised list gets the stranger's answer: refused, nothing revealed.
    await expect(authorizeList(member, target.id, hiddenList, "moderate")).rejects.toBeInstanceOf(NotFoundError);
    await expect(authorizeList(member, target.id, advertisedList, "moderate")).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("grants nothing through an unverified address on the owner roster", async () => {
    await expect(authorizeList(unverified, target.id, hiddenList, "view")).rejects.toBeInstanceOf(NotFoundError);
    await expect(authorizeList(unverified, target.id, advertisedList, "administer")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(authorizeList(unverified, target.id, advertisedList, "moderate")).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("lets a superuser do everything without a role", async () => {
    for (const capability of ["view", "moderate", "administer"] as const) {
      const access = await authorizeList(superuser, target.id, hiddenList, capability);
      expect(access.list.list_id).toBe(hiddenList);
    }
  });

  it("reports a list that does not exist as missing, to everyone", async () => {
    const missing = `${uniqueName("gone")}.${target.domain}`;
    await expect(authorizeList(superuser, target.id, missing, "view")).rejects.toBeInstanceOf(NotFoundError);
    await expect(authorizeList(owner, target.id, missing, "view")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("reports an unknown target as missing", async () => {
    await expect(authorizeList(superuser, 2_000_000_000, hiddenList, "view")).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("REST calls of the guard", () => {
  const shape = (calls: { method: string; path: string }[]) => calls.map((c) => `${c.method} ${c.path.split("?")[0]}`).sort();

  it("costs an owner exactly 3 calls: the list and the owner and moderator rosters", async () => {
    const { calls } = await withMailmanCallLog(() => authorizeList(owner, target.id, hiddenList, "administer"));
    expect(calls).toHaveLength(3);
    expect(shape(calls)).toEqual([
      expect.stringMatching(new RegExp(`^GET .*/lists/${hiddenList.replace(/\./g, "\\.")}$`)),
      expect.stringMatching(/^GET .*\/roster\/moderator$/),
      expect.stringMatching(/^GET .*\/roster\/owner$/),
    ]);
  });

  it("costs a superuser 1 call: the list", async () => {
    const { calls } = await withMailmanCallLog(() => authorizeList(superuser, target.id, hiddenList, "administer"));
    expect(shape(calls)).toEqual([expect.stringMatching(/^GET .*\/lists\/[^/]+$/)]);
  });
});
