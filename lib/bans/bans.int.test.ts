import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeList, type ListAccess } from "@/lib/auth/list-access";
import type { Viewer } from "@/lib/auth/users";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { MailmanError, withMailmanCallLog, type MailmanClient } from "@/lib/mailman";
import { allBans, removeBan } from "@/lib/mailman/bans";
import { countHeld, injectMessage } from "@/lib/mailman/held";
import { readSentMail, waitForMail } from "@/scripts/lib/local-core";
import type { TargetSummary } from "@/lib/targets/targets";
import { testClient, testCore, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { banEffectText } from "./ban-input";
import { addGlobalBan, addListBan, loadBans, loadGlobalBans, removeGlobalBan, removeListBan } from "./bans";

let superuser: Viewer;
let target: TargetSummary;
let core: MailmanClient;
const globalEntries: string[] = [];

beforeAll(async () => {
  superuser = await makeUser({ superuser: true });
  target = await makeTarget(superuser);
  core = testClient();
});

// Global bans apply to the whole (shared) test core: remove whatever a test left behind.
afterAll(async () => {
  for (const email of globalEntries) await removeBan(core, "global", email).catch(() => undefined);
});

async function ownedList(): Promise<ListAccess> {
  const owner = await makeUser();
  const listId = await core.createList({ fqdnListname: `${uniqueName("ban")}@${target.domain}` });
  await core.subscribe({ listId, subscriber: owner.verifiedEmails[0]!, role: "owner", preVerified: true, preConfirmed: true, preApproved: true });
  return authorizeList(owner, target.id, listId, "administer");
}

const ref = (access: ListAccess) => ({ targetId: access.target.id, listId: access.list.list_id });
const subscribe = (listId: string, subscriber: string) =>
  core.subscribe({ listId, subscriber, preVerified: true, preConfirmed: true, preApproved: true });

describe("list bans", () => {
  it("bans an address (lower-cased) and a pattern; the core then refuses them as members (Q-16)", async () => {
    const access = await ownedList();
    const { calls } = await withMailmanCallLog(() => addListBan(access, { ...ref(access), email: "Spammer@Example.ORG" }));
    expect(calls.map((c) => c.method)).toEqual(["POST"]);
    await addListBan(access, { ...ref(access), email: "^bot\\d+@.*$" });

    expect((await allBans(core, { listId: access.list.list_id })).map((b) => b.email)).toEqual(["^bot\\d+@.*$", "spammer@example.org"]);
    for (const address of ["spammer@example.org", "Spammer@example.org", "BOT42@example.net"]) {
      const attempt = subscribe(access.list.list_id, address);
      await expect(attempt, address).rejects.toBeInstanceOf(MailmanError);
      await expect(attempt, address).rejects.toMatchObject({ status: 400, description: "Membership is banned" });
    }
    await expect(subscribe(access.list.list_id, "human@example.net")).resolves.toMatchObject({ kind: "subscribed" });
  });

  it("refuses a duplicate and malformed entries, the latter before calling the core", async () => {
    const access = await ownedList();
    await addListBan(access, { ...ref(access), email: "dup@example.org" });
    await expect(addListBan(access, { ...ref(access), email: "DUP@example.org" })).rejects.toBeInstanceOf(ConflictError);
    const { calls } = await withMailmanCallLog(async () => {
      await expect(addListBan(access, { ...ref(access), email: "not valid" })).rejects.toMatchObject({ field: "email" });
      await expect(addListBan(access, { ...ref(access), email: "^(bad" })).rejects.toBeInstanceOf(InvalidInputError);
      await expect(addListBan(access, { ...ref(access), email: "^a/b@x" })).rejects.toMatchObject({ message: expect.stringMatching(/never remove/) });
    });
    expect(calls).toEqual([]);
  });

  it("shows the core's refusal of a pattern only Python rejects", async () => {
    const access = await ownedList();
    await expect(addListBan(access, { ...ref(access), email: "^(?<n>x)@" })).rejects.toMatchObject({ field: "email", message: expect.stringMatching(/Mailman refused/) });
  });

  it("unbans one call each, an address and a pattern; the address may then subscribe", async () => {
    const access = await ownedList();
    await addListBan(access, { ...ref(access), email: "back@example.org" });
    await addListBan(access, { ...ref(access), email: "^.*@spam\\.example$" });
    const { calls } = await withMailmanCallLog(() => removeListBan(access, { ...ref(access), email: "^.*@spam\\.example$" }));
    expect(calls.map((c) => c.method)).toEqual(["DELETE"]);
    await removeListBan(access, { ...ref(access), email: "back@example.org" });
    expect(await allBans(core, { listId: access.list.list_id })).toEqual([]);
    await expect(subscribe(access.list.list_id, "back@example.org")).resolves.toMatchObject({ kind: "subscribed" });
    await expect(removeListBan(access, { ...ref(access), email: "back@example.org" })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses to remove anything that is not an address or a ^pattern (no path segments such as ..), before calling the core", async () => {
    const access = await ownedList();
    const { calls } = await withMailmanCallLog(async () => {
      for (const email of ["..", ".", "../..", "%2e%2e", "nobody", "a@b/..", " ^x"]) {
        await expect(removeListBan(access, { ...ref(access), email }), email).rejects.toBeInstanceOf(InvalidInputError);
        await expect(removeGlobalBan({ targetId: target.id, email }), email).rejects.toBeInstanceOf(InvalidInputError);
      }
    });
    expect(calls).toEqual([]);
  });

  it("pages with the core (one call per page) and searches in Listkeeper", async () => {
    const access = await ownedList();
    for (let i = 0; i < 7; i++) await addListBan(access, { ...ref(access), email: `user${i}@${i % 2 ? "odd" : "even"}.example` });
    const page2 = await withMailmanCallLog(() => loadBans(core, { listId: access.list.list_id }, { page: 2, pageSize: 3 }));
    expect(page2.calls).toHaveLength(1);
    expect(page2.result).toMatchObject({ total: 7, page: 2, pageCount: 3, entries: [{ email: "user3@odd.example" }, { email: "user4@even.example" }, { email: "user5@odd.example" }] });
    const found = await loadBans(core, { listId: access.list.list_id }, { page: 1, pageSize: 2, q: "ODD" });
    expect(found).toMatchObject({ total: 3, pageCount: 2, query: "ODD", entries: [{ email: "user1@odd.example" }, { email: "user3@odd.example" }] });
    const last = await loadBans(core, { listId: access.list.list_id }, { page: 2, pageSize: 2, q: "odd" });
    expect(last.entries.map((e) => e.email)).toEqual(["user5@odd.example"]);
  });
});

describe("what a ban does to posting", () => {
  const post = (from: string, to: string, subject: string) =>
    [`From: ${from}`, `To: ${to}`, `Subject: ${subject}`, `Message-ID: <${uniqueName("m")}@outside.example>`, "Content-Type: text/plain", "", "Hello.", ""].join("\n");

  it("discards a banned member's post (nothing delivered, nothing held), as the ban form says", async () => {
    const { maildir } = testCore();
    expect(maildir, "the integration core must expose its SMTP sink").not.toBe("");
    const access = await ownedList();
    const listId = access.list.list_id;
    const posting = access.list.fqdn_listname;
    const reader = `${uniqueName("reader")}@people.example.test`;
    const banned = `${uniqueName("banned")}@people.example.test`;
    const friend = `${uniqueName("friend")}@people.example.test`;
    for (const address of [reader, banned, friend]) await subscribe(listId, address);
    await addListBan(access, { ...ref(access), email: banned });

    const bannedSubject = `Banned ${uniqueName("s")}`;
    const controlSubject = `Control ${uniqueName("s")}`;
    await injectMessage(core, listId, post(banned, posting, bannedSubject));
    await injectMessage(core, listId, post(friend, posting, controlSubject));
    // The control post went through the same queue after the banned one: once it is delivered,
    // the banned post has been decided.
    await waitForMail(maildir, (m) => m.to.includes(reader) && m.subject.includes(controlSubject), 45_000);
    const sent = await readSentMail(maildir);
    expect(sent.filter((m) => m.subject.includes(bannedSubject))).toEqual([]);
    expect(await countHeld(core, listId)).toBe(0);
    expect(banEffectText("this list")).toMatch(/posts are discarded/);
    expect(banEffectText("this list")).not.toMatch(/do not stop posting/);
  });
});

describe("global bans", () => {
  it("bans site-wide: every list refuses the address, and a list ban of it is refused as redundant", async () => {
    const email = `${uniqueName("global")}@example.org`;
    globalEntries.push(email);
    const access = await ownedList();
    await addGlobalBan({ targetId: target.id, email: email.toUpperCase() });
    await expect(subscribe(access.list.list_id, email)).rejects.toMatchObject({ status: 400, description: "Membership is banned" });
    await expect(addListBan(access, { ...ref(access), email })).rejects.toBeInstanceOf(ConflictError);
    await expect(addGlobalBan({ targetId: target.id, email })).rejects.toBeInstanceOf(ConflictError);

    const found = await loadGlobalBans(target.id, { page: 1, q: email });
    expect(found.entries).toEqual([{ email, isPattern: false }]);
    const firstPage = await loadGlobalBans(target.id, { page: 1, pageSize: 1 });
    expect(firstPage.entries).toHaveLength(1);
    expect(firstPage.total).toBeGreaterThanOrEqual(1);

    await removeGlobalBan({ targetId: target.id, email });
    expect((await loadGlobalBans(target.id, { page: 1, q: email })).total).toBe(0);
    await expect(subscribe(access.list.list_id, email)).resolves.toMatchObject({ kind: "subscribed" });
  });

  it("bans a pattern site-wide and removes it", async () => {
    const domain = uniqueName("spamhost");
    const pattern = `^.*@${domain}\\.example$`;
    globalEntries.push(pattern);
    const access = await ownedList();
    await addGlobalBan({ targetId: target.id, email: pattern });
    await expect(subscribe(access.list.list_id, `x@${domain}.example`)).rejects.toMatchObject({ description: "Membership is banned" });
    await removeGlobalBan({ targetId: target.id, email: pattern });
    expect((await loadGlobalBans(target.id, { page: 1, q: domain })).total).toBe(0);
  });
});
