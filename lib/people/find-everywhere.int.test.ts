import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Viewer } from "@/lib/auth/users";
import { withMailmanCallLog, type MailmanClient } from "@/lib/mailman";
import { addBan, removeBan } from "@/lib/mailman/bans";
import { injectMessage, listHeld } from "@/lib/mailman/held";
import type { TargetSummary } from "@/lib/targets/targets";
import { testClient, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { findPerson, findPersonDetails } from "./find-everywhere";
import { parsePersonQuery, type PersonQuery } from "./person-query";

let superuser: Viewer;
let serverA: TargetSummary;
let serverB: TargetSummary;
let core: MailmanClient;
const globalBans: string[] = [];

const pre = { preVerified: true, preConfirmed: true, preApproved: true } as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two "servers" (targets) on the one test core, each with its own domain. */
beforeAll(async () => {
  superuser = await makeUser({ superuser: true });
  serverA = await makeTarget(superuser);
  serverB = await makeTarget(superuser);
  core = testClient();
});

afterAll(async () => {
  for (const email of globalBans) await removeBan(core, "global", email).catch(() => undefined);
});

function query(text: string): PersonQuery {
  const parsed = parsePersonQuery(text);
  if ("problem" in parsed) throw new Error(parsed.problem);
  return parsed.query;
}

interface Person {
  primary: string;
  alternate: string;
  lists: { a1: string; a2: string; b1: string; moderated: string; elsewhere: string };
}

/**
 * Jane, a core user with two addresses: a member of a1 (primary address) and b1 (server B), owner
 * of a2 (alternate), a post held on b1 from her alternate address, a pending subscription on a
 * moderated list, a list ban pattern on a1, a global ban, and a pending request on a list she is
 * not on at all (found only by the full scan).
 */
async function jane(): Promise<Person> {
  const tag = uniqueName("jane");
  const primary = `${tag}@people.example.test`;
  const alternate = `${tag}.alt@people.example.test`;
  const location = await core.create("/users", { email: primary, display_name: "Jane Findme" });
  const userId = location.split("/").pop()!;
  await core.create(`/users/${userId}/addresses`, { email: alternate });

  const newList = async (server: TargetSummary) => core.createList({ fqdnListname: `${uniqueName("find")}@${server.domain}` });
  const lists = { a1: await newList(serverA), a2: await newList(serverA), b1: await newList(serverB), moderated: await newList(serverA), elsewhere: await newList(serverB) };
  await core.subscribe({ listId: lists.a1, subscriber: primary, ...pre });
  await core.subscribe({ listId: lists.a2, subscriber: alternate, role: "owner", ...pre });
  await core.subscribe({ listId: lists.b1, subscriber: primary, deliveryMode: "mime_digests", ...pre });
  await core.patchListConfig(lists.moderated, { subscription_policy: "moderate" });
  await core.subscribe({ listId: lists.moderated, subscriber: alternate, preVerified: true, preConfirmed: true });
  // On `moderated` she now has no membership at all, only the pending request; a nonmember post
  // would make her known there, so "elsewhere" keeps a request she never posted to.
  await core.patchListConfig(lists.elsewhere, { subscription_policy: "moderate" });
  await core.subscribe({ listId: lists.elsewhere, subscriber: primary, preVerified: true, preConfirmed: true });
  await addBan(core, { listId: lists.a1 }, `^${tag}\\.alt@.*`);
  await core.send("PATCH", `/members/${(await core.findMembers({ listId: lists.b1, subscriber: primary }, { count: 1, page: 1 })).entries[0]!.member_id}/preferences`, {
    delivery_status: "by_user",
  });

  // A post from the alternate address to b1, held. The core counts an address of a member's user
  // as the member, so members' posts are held too.
  await core.patchListConfig(lists.b1, { default_member_action: "hold", default_nonmember_action: "hold" });
  const posting = lists.b1.replace(`.${serverB.domain}`, `@${serverB.domain}`);
  const message = [`From: ${alternate}`, `To: ${posting}`, `Subject: Held ${tag}`, `Message-ID: <${tag}@outside.example>`, "", "Hello.", ""].join("\n");
  await injectMessage(core, lists.b1, message);
  for (let waited = 0; ; waited += 250) {
    if ((await listHeld(core, lists.b1, { count: 10, page: 1 })).entries.some((h) => h.subject === `Held ${tag}`)) break;
    if (waited > 30_000) throw new Error("the post was not held");
    await sleep(250);
  }
  return { primary, alternate, lists };
}

describe("find a person everywhere", () => {
  it("finds every membership of every address of the user on two servers within the budget: one call per server for the user, one per address", async () => {
    const person = await jane();
    const { result, calls } = await withMailmanCallLog(() => findPerson(query(person.primary.toUpperCase()), { targetIds: [serverA.id, serverB.id] }));

    // Budget: per server 1 (user and addresses) + 1 members/find per address found (2).
    expect(calls).toHaveLength(2 * (1 + 2));
    expect(calls.filter((c) => c.path.startsWith("/users/")).length).toBe(2);
    expect(calls.filter((c) => c.path === "/members/find").length).toBe(4);

    expect(result.addresses.sort()).toEqual([person.alternate, person.primary].sort());
    const a = result.servers.find((s) => s.targetId === serverA.id)!;
    expect(a.problem).toBeNull();
    expect(a.user?.displayName).toBe("Jane Findme");
    expect(a.user?.addresses.map((x) => x.email).sort()).toEqual([person.alternate, person.primary].sort());
    const rows = a.memberships.map((m) => [m.listId, m.role, m.email]);
    expect(rows).toEqual(
      expect.arrayContaining([
        [person.lists.a1, "member", person.primary],
        [person.lists.a2, "owner", person.alternate],
        [person.lists.b1, "member", person.primary],
      ]),
    );
    const digest = a.memberships.find((m) => m.listId === person.lists.b1 && m.role === "member")!;
    expect(digest.deliveryMode).toBe("mime_digests");
    expect(digest.subscriptionMode).toBe("as_address");
    // The pending subscriptions are not memberships.
    expect(rows.some(([listId]) => listId === person.lists.moderated || listId === person.lists.elsewhere)).toBe(false);
  });

  it("shows held posts, pending requests, bans and delivery status for the lists the person is on; the full scan also finds the other lists' requests", async () => {
    const person = await jane();
    const banned = `${uniqueName("globally")}@people.example.test`;
    // The primary address is linked to jane's user: a global ban on it names her.
    globalBans.push(person.primary);
    await addBan(core, "global", person.primary);
    globalBans.push(banned);
    await addBan(core, "global", banned);

    const finding = await findPerson(query(person.primary), { targetIds: [serverB.id] });
    const memberships = finding.servers[0]!.memberships;
    const onLists = new Set(memberships.map((m) => m.listId)).size;
    const memberRole = memberships.filter((m) => m.role === "member").length;
    const { result, calls } = await withMailmanCallLog(() => findPersonDetails(finding));
    // Budget of the details: 1 global-ban call, 3 per list the person is on, 1 per member-role membership.
    expect(calls).toHaveLength(1 + 3 * onLists + memberRole);

    const details = result[0]!;
    expect(details.problem).toBeNull();
    expect(details.globalBans).toEqual([{ entry: person.primary, isPattern: false, unchecked: false, address: person.primary }]);
    const b1 = details.lists.find((l) => l.listId === person.lists.b1)!;
    expect(b1.held.map((h) => [h.sender, h.subject])).toEqual([[person.alternate, `Held ${person.primary.split("@")[0]}`]]);
    const a1 = details.lists.find((l) => l.listId === person.lists.a1)!;
    expect(a1.bans).toEqual([expect.objectContaining({ isPattern: true, address: person.alternate })]);
    const b1Member = memberships.find((m) => m.listId === person.lists.b1 && m.role === "member")!;
    expect(details.deliveryStatus[b1Member.memberId]).toBe("by_user");
    // Requests of lists she is not on are not looked for without the scan.
    expect(details.lists.some((l) => l.listId === person.lists.elsewhere)).toBe(false);

    const scanned = (await findPersonDetails(finding, { scanAll: true }))[0]!;
    expect(scanned.scannedAllLists).toBe(true);
    const elsewhere = scanned.lists.find((l) => l.listId === person.lists.elsewhere)!;
    expect(elsewhere.requests).toEqual([expect.objectContaining({ email: person.primary, type: "subscription" })]);
    const moderated = scanned.lists.find((l) => l.listId === person.lists.moderated)!;
    expect(moderated.requests).toEqual([expect.objectContaining({ email: person.alternate })]);
  });

  it("finds by address pattern and by name with one members/find per server", async () => {
    const person = await jane();
    const tag = person.primary.split("@")[0]!;
    const { result, calls } = await withMailmanCallLog(() => findPerson(query(`${tag}*@people.example.test`), { targetIds: [serverA.id, serverB.id] }));
    expect(calls.map((c) => c.path)).toEqual(["/members/find", "/members/find"]);
    expect(result.addresses.sort()).toEqual([person.alternate, person.primary].sort());
    expect(result.servers[0]!.user).toBeNull();

    const byName = await withMailmanCallLog(() => findPerson(query("jane findme"), { targetIds: [serverA.id] }));
    expect(byName.calls).toHaveLength(1);
    expect(byName.result.servers[0]!.memberships.some((m) => m.listId === person.lists.a1 && m.email === person.primary)).toBe(true);
  });

  it("reports an unknown address as found nowhere, in two calls per server", async () => {
    const { result, calls } = await withMailmanCallLog(() => findPerson(query(`${uniqueName("nobody")}@nowhere.example`), { targetIds: [serverA.id] }));
    expect(calls).toHaveLength(2);
    expect(result.servers[0]).toMatchObject({ user: null, memberships: [], problem: null });
  });
});
