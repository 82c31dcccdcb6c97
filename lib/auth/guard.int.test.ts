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

  it("shows an unadvertised list to its members, who still may not moderate or administer it", async () => {
    const access = await authorizeList(member, target.id, hiddenList, "view");
    expect([...access.roles]).toEqual(["member"]);
    // The member may see the list, so refusing them reveals nothing: forbidden, not missing.
    for (const listId of [hiddenList, advertisedList]) {
      await expect(authorizeList(member, target.id, listId, "moderate")).rejects.toBeInstanceOf(ForbiddenError);
      await expect(authorizeList(member, target.id, listId, "administer")).rejects.toBeInstanceOf(ForbiddenError);
    }
  });

  it("sees every role an address holds, and only through its verified addresses", async () => {
    const second = `${uniqueName("second")}@people.example.test`;
    await addRole(hiddenList, second, "moderator");
    const both = { ...member, emails: [...member.emails, { email: second, verified: true }], verifiedEmails: [...member.verifiedEmails, second] };
    expect((await authorizeList(both, target.id, hiddenList, "moderate")).roles).toEqual(new Set(["member", "moderator"]));
    // The same address on the viewer's account but not verified: back to a plain member.
    const notYet = { ...both, emails: [...member.emails, { email: second, verified: false }], verifiedEmails: member.verifiedEmails };
    await expect(authorizeList(notYet, target.id, hiddenList, "moderate")).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("gives an owner who also has an unverified address no more than the verified one holds", async () => {
    // The unverified address owns the list; the verified one is only a moderator.
    const mixed = { ...moderator, emails: [...moderator.emails, ...unverified.emails], verifiedEmails: moderator.verifiedEmails };
    expect((await authorizeList(mixed, target.id, hiddenList, "moderate")).roles).toEqual(new Set(["moderator"]));
    await expect(authorizeList(mixed, target.id, hiddenList, "administer")).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("finds a membership held through a core user's preferred address", async () => {
    const email = `${uniqueName("pref")}@people.example.test`;
    const userId = (await core.create("/users", { email })).split("/").pop()!;
    await core.send("POST", `/addresses/${encodeURIComponent(email)}/verify`);
    await core.send("POST", `/users/${userId}/preferred_address`, { email });
    await core.subscribe({ listId: hiddenList, subscriber: userId, preVerified: true, preConfirmed: true, preApproved: true, sendWelcomeMessage: false });
    const asUser = await core.findMembers({ listId: hiddenList, subscriber: email }, { count: 5, page: 1 });
    expect(asUser.entries).toEqual([expect.objectContaining({ email, role: "member", subscription_mode: "as_user" })]);
    const viewer = { ...stranger, emails: [{ email, verified: true }], verifiedEmails: [email] };
    expect((await authorizeList(viewer, target.id, hiddenList, "view")).roles).toEqual(new Set(["member"]));
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
    await expect(authorizeList(owner, target.id, `${uniqueName("gone")}@${target.domain}`, "administer")).rejects.toBeInstanceOf(NotFoundError);
    // The role look-up runs beside the list's: for an unknown list id the core finds nothing
    // rather than answering 404 or 400, so the list's 404 is what the viewer gets.
    await expect(core.findMembers({ listId: missing, subscriber: owner.verifiedEmails[0]! }, { count: 25, page: 1 }, ["email", "role"])).resolves.toEqual({
      start: 0,
      total: 0,
      entries: [],
    });
  });

  it("accepts the list's posting address in place of its id", async () => {
    const { fqdn_listname: fqdn } = (await core.getList(hiddenList))!;
    const access = await authorizeList(owner, target.id, fqdn, "administer");
    expect(access.list.list_id).toBe(hiddenList);
    expect(access.roles.has("owner")).toBe(true);
  });

  it("reports an unknown target as missing", async () => {
    await expect(authorizeList(superuser, 2_000_000_000, hiddenList, "view")).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("REST calls of the guard", () => {
  const shape = (calls: { method: string; path: string }[]) => calls.map((c) => `${c.method} ${c.path.split("?")[0]}`).sort();

  it("costs an owner with one address exactly 2 calls: the list and one members/find", async () => {
    const { calls } = await withMailmanCallLog(() => authorizeList(owner, target.id, hiddenList, "administer"));
    expect(shape(calls)).toEqual([`GET /lists/${hiddenList}`, "GET /members/find"]);
  });

  it("costs one more members/find per further verified address", async () => {
    const second = `${uniqueName("second")}@people.example.test`;
    const twoAddresses = { ...owner, emails: [...owner.emails, { email: second, verified: true }], verifiedEmails: [...owner.verifiedEmails, second] };
    const { calls } = await withMailmanCallLog(() => authorizeList(twoAddresses, target.id, hiddenList, "administer"));
    expect(shape(calls)).toEqual([`GET /lists/${hiddenList}`, "GET /members/find", "GET /members/find"]);
  });

  it("costs a missing list at most 2 calls for a plain user and still reports it missing", async () => {
    const missing = `${uniqueName("gone")}.${target.domain}`;
    const { result, calls } = await withMailmanCallLog(() => authorizeList(owner, target.id, missing, "view").catch((e: unknown) => e));
    expect(result).toBeInstanceOf(NotFoundError);
    // The role look-up runs in parallel and is not waited for once the list is missing, so it is
    // logged only when it happened to answer first.
    const seen = calls.map((c) => `${c.method} ${c.path.split("?")[0]} ${c.status}`);
    expect(seen).toContain(`GET /lists/${missing} 404`);
    expect(seen.filter((c) => c !== `GET /lists/${missing} 404`)).toEqual(seen.length === 2 ? ["GET /members/find 200"] : []);
  });

  it("costs a superuser 1 call: the list", async () => {
    const { calls } = await withMailmanCallLog(() => authorizeList(superuser, target.id, hiddenList, "administer"));
    expect(shape(calls)).toEqual([expect.stringMatching(/^GET .*\/lists\/[^/]+$/)]);
  });
});
