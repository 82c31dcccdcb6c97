/**
 * Contract tests of MailmanClient against a real core (tests/support/global-setup.ts). Each test
 * makes its own uniquely named domains, lists and addresses, so files may run in parallel and
 * against a shared core: assertions on site-wide collections check containment, never totals.
 */
import { afterAll, describe, expect, it } from "vitest";
import { freePorts, waitForMail } from "@/scripts/lib/local-core";
import { createTestDomain, testClient, testConnection, testCore, uniqueName } from "@/tests/support/core";
import { MailmanClient, MailmanError, MailmanTransportError, withMailmanCallLog, type Member } from "@/lib/mailman";

const client = testClient();
const domains: string[] = [];

async function newDomain(description?: string): Promise<string> {
  const mailHost = await createTestDomain(client, description);
  domains.push(mailHost);
  return mailHost;
}

async function newList(mailHost?: string, prefix = "l"): Promise<string> {
  const host = mailHost ?? (await newDomain());
  return client.createList({ fqdnListname: `${uniqueName(prefix)}@${host}` });
}

const address = (prefix = "a", host = "people.example.test") => `${uniqueName(prefix)}@${host}`;

const subscribeNow = (listId: string, subscriber: string, extra: Partial<Parameters<MailmanClient["subscribe"]>[0]> = {}) =>
  client.subscribe({ listId, subscriber, preVerified: true, preConfirmed: true, preApproved: true, sendWelcomeMessage: false, ...extra });

/** Raw REST access for set-up steps the client deliberately does not offer. */
async function rawRest(method: string, path: string, body?: unknown): Promise<Response> {
  const core = testCore();
  return fetch(`${core.restUrl}/3.1${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${core.user}:${core.password}`).toString("base64")}`,
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
}

async function mailmanError(promise: Promise<unknown>): Promise<MailmanError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MailmanError);
  return error as MailmanError;
}

afterAll(async () => {
  // Deleting a domain deletes its lists; matters when the core is a shared, long-lived one.
  await Promise.all(domains.map((d) => client.deleteDomain(d).catch(() => undefined)));
});

describe("system", () => {
  it("the core reaches the workers through inject() and the environment", () => {
    const core = testCore();
    expect(process.env.MAILMAN_TEST_URL).toBe(core.restUrl);
    expect(process.env.MAILMAN_TEST_USER).toBe(core.user);
  });

  it("versions", async () => {
    const versions = await client.versions();
    expect(versions.api_version).toBe("3.1");
    expect(versions.mailman_version).toMatch(/^GNU Mailman 3\.|^3\./);
    expect(versions.python_version).toMatch(/^3\./);
  });

  it("mailmanSettings has listname_chars", async () => {
    const settings = await client.mailmanSettings();
    expect(typeof settings.listname_chars).toBe("string");
    expect(settings.listname_chars!.length).toBeGreaterThan(0);
    expect(settings).toHaveProperty("site_owner");
  });

  it("listStyles has legacy-default, and no bogus style to create broken lists with (Q-1)", async () => {
    const styles = await client.listStyles();
    expect(styles.style_names).toContain("legacy-default");
    expect(styles.style_names).toContain(styles.default);
    expect(styles.styles.map((s) => s.name).sort()).toEqual([...styles.style_names].sort());
    // Guarding Q-1 is the caller's job: it must check the requested style against this list.
    expect(styles.style_names).not.toContain("no-such-style");
  });
});

describe("domains", () => {
  it("create, get, update and delete", async () => {
    const mailHost = await newDomain("First description");
    expect(await client.getDomain(mailHost)).toMatchObject({ mail_host: mailHost, description: "First description" });

    await client.updateDomain(mailHost, { description: "Second", aliasDomain: `alias.${mailHost}` });
    expect(await client.getDomain(mailHost)).toMatchObject({ description: "Second", alias_domain: `alias.${mailHost}` });

    await client.updateDomain(mailHost, { aliasDomain: null });
    const reset = await client.getDomain(mailHost);
    expect(reset?.description).toBe("Second");
    // The client sends "" to clear it; the core then reports "" (falsy to Mailman, like None).
    expect(reset?.alias_domain || null).toBeNull();

    await client.deleteDomain(mailHost);
    expect(await client.getDomain(mailHost)).toBeNull();
    expect((await mailmanError(client.deleteDomain(mailHost))).status).toBe(404);
  });

  it("getDomain of a missing domain is null", async () => {
    expect(await client.getDomain(`${uniqueName("missing")}.example.test`)).toBeNull();
  });

  it("rejects a duplicate domain with 400", async () => {
    const mailHost = await newDomain();
    const error = await mailmanError(client.createDomain({ mailHost }));
    expect(error.status).toBe(400);
    expect(error.description).toBe(`Duplicate email host: ${mailHost}`);
    expect(error.userMessage).toBe(`Duplicate email host: ${mailHost}`);
  });

  it("pages through domains with count and page", async () => {
    const created = [await newDomain(), await newDomain(), await newDomain()];
    const first = await client.listDomains({ count: 2, page: 1 });
    expect(first.total).toBeGreaterThanOrEqual(3);
    expect(first.entries).toHaveLength(2);
    expect(first.start).toBe(0);
    const second = await client.listDomains({ count: 2, page: 2 });
    expect(second.start).toBe(2);

    const all = await client.allDomains();
    expect(all.map((d) => d.mail_host)).toEqual(expect.arrayContaining(created));
    const beyond = await client.listDomains({ count: 2, page: Math.ceil(all.length / 2) + 5 });
    expect(beyond.entries).toEqual([]);
  });

  it("refuses a page request without a positive count or page before calling the core (Q-6)", async () => {
    const { calls } = await withMailmanCallLog(async () => {
      await expect(client.listDomains({ count: 0, page: 1 })).rejects.toBeInstanceOf(RangeError);
      await expect(client.listDomains({ count: 10, page: 0 })).rejects.toBeInstanceOf(RangeError);
      await expect(client.listDomains({ count: 1.5, page: 1 })).rejects.toBeInstanceOf(RangeError);
    });
    expect(calls).toEqual([]);
  });

  it("countDomainLists and domainLists", async () => {
    const mailHost = await newDomain();
    expect(await client.countDomainLists(mailHost)).toBe(0);
    expect(await client.domainLists(mailHost, { count: 10, page: 1 })).toMatchObject({ total: 0, entries: [] });

    const ids = [await newList(mailHost), await newList(mailHost), await newList(mailHost)];
    expect(await client.countDomainLists(mailHost)).toBe(3);
    const page1 = await client.domainLists(mailHost, { count: 2, page: 1 });
    const page2 = await client.domainLists(mailHost, { count: 2, page: 2 });
    expect(page1.total).toBe(3);
    expect(page1.entries).toHaveLength(2);
    expect(page2.entries).toHaveLength(1);
    expect([...page1.entries, ...page2.entries].map((l) => l.list_id).sort()).toEqual([...ids].sort());
    expect(page1.entries.every((l) => l.mail_host === mailHost)).toBe(true);
  });

  it("deleting a domain deletes its lists", async () => {
    const mailHost = await newDomain();
    const listId = await newList(mailHost);
    await client.deleteDomain(mailHost);
    expect(await client.getList(listId)).toBeNull();
  });
});

describe("lists", () => {
  it("createList returns the list_id, getList finds it by list_id and by address", async () => {
    const mailHost = await newDomain();
    const name = uniqueName("news");
    const listId = await client.createList({ fqdnListname: `${name}@${mailHost}`, styleName: "legacy-announce" });
    expect(listId).toBe(`${name}.${mailHost}`);
    const list = await client.getList(listId);
    expect(list).toMatchObject({
      list_id: listId,
      fqdn_listname: `${name}@${mailHost}`,
      list_name: name,
      mail_host: mailHost,
      member_count: 0,
      advertised: true,
    });
    expect(typeof list?.display_name).toBe("string");
    expect(await client.getList(`${name}@${mailHost}`)).toMatchObject({ list_id: listId });
  });

  it("getList of a missing list is null", async () => {
    expect(await client.getList(`${uniqueName("nope")}.example.test`)).toBeNull();
  });

  it("rejects an invalid list name", async () => {
    const mailHost = await newDomain();
    const error = await mailmanError(client.createList({ fqdnListname: `de$lta@${mailHost}` }));
    expect(error.status).toBe(400);
    expect(error.description).toMatch(/^Invalid list name/);
  });

  it("rejects a list in an unknown domain", async () => {
    const host = `${uniqueName("nodomain")}.example.test`;
    const error = await mailmanError(client.createList({ fqdnListname: `x@${host}` }));
    expect(error.status).toBe(400);
    expect(error.description).toBe(`Domain does not exist: ${host}`);
  });

  it("rejects a duplicate list", async () => {
    const mailHost = await newDomain();
    const fqdn = `${uniqueName("dup")}@${mailHost}`;
    await client.createList({ fqdnListname: fqdn });
    const error = await mailmanError(client.createList({ fqdnListname: fqdn }));
    expect(error.status).toBe(400);
    expect(error.description).toBe("Mailing list exists");
  });

  it("listLists pages with count and page; allLists returns every list", async () => {
    const mailHost = await newDomain();
    const ids = [await newList(mailHost), await newList(mailHost)];
    const page = await client.listLists({ count: 1, page: 1 });
    expect(page.total).toBeGreaterThanOrEqual(2);
    expect(page.entries).toHaveLength(1);
    const all = await client.allLists();
    expect(all.map((l) => l.list_id)).toEqual(expect.arrayContaining(ids));
    expect(new Set(all.map((l) => l.list_id)).size).toBe(all.length);
  });

  it("the advertised filter hides unadvertised lists", async () => {
    const mailHost = await newDomain();
    const shown = await newList(mailHost);
    const hidden = await newList(mailHost);
    await client.patchListConfig(hidden, { advertised: false });
    expect((await client.getList(hidden))?.advertised).toBe(false);

    const advertised = (await client.allLists({ advertised: true })).map((l) => l.list_id);
    expect(advertised).toContain(shown);
    expect(advertised).not.toContain(hidden);
    expect((await client.allLists()).map((l) => l.list_id)).toEqual(expect.arrayContaining([shown, hidden]));

    const page = await client.listLists({ count: 1000, page: 1 }, { advertised: true });
    expect(page.entries.every((l) => l.advertised !== false)).toBe(true);
  });

  it("deleteList", async () => {
    const listId = await newList();
    await client.deleteList(listId);
    expect(await client.getList(listId)).toBeNull();
    expect((await mailmanError(client.deleteList(listId))).status).toBe(404);
  });

  it("getListConfig and patchListConfig round-trip", async () => {
    const listId = await newList();
    const before = await client.getListConfig(listId);
    expect(before).toHaveProperty("subscription_policy");
    expect(before.fqdn_listname).toBe(listId.replace(".", "@"));

    await client.patchListConfig(listId, { description: "Round trip ✓", subscription_policy: "moderate" });
    const after = await client.getListConfig(listId);
    expect(after.description).toBe("Round trip ✓");
    expect(after.subscription_policy).toBe("moderate");
    expect((await client.getList(listId))?.description).toBe("Round trip ✓");
  });

  it("patchListConfig reports the core's validation message", async () => {
    const listId = await newList();
    const error = await mailmanError(client.patchListConfig(listId, { archive_policy: "sometimes" }));
    expect(error.status).toBe(400);
    expect(error.description).toMatch(/archive_policy/);
  });

  it("findLists returns [] for an address without lists (the core answers 404, Q-15)", async () => {
    expect(await client.findLists(address("lonely"))).toEqual([]);
  });

  it("findLists de-duplicates lists with several memberships (Q-10) and filters by role", async () => {
    const mailHost = await newDomain();
    const a = await newList(mailHost);
    const b = await newList(mailHost);
    const who = address("finder");
    await subscribeNow(a, who);
    await subscribeNow(a, who, { role: "owner" });
    await subscribeNow(b, who);

    const found = await client.findLists(who);
    expect(found.map((l) => l.list_id).sort()).toEqual([a, b].sort());
    expect((await client.findLists(who, "owner")).map((l) => l.list_id)).toEqual([a]);
    expect(await client.findLists(who, "moderator")).toEqual([]);

    // By user id, the core repeats a list once per membership; the client must not.
    const user = await client.getUser(who);
    expect(user).not.toBeNull();
    const raw = await rawRest("GET", `/lists/find?subscriber=${user!.user_id}&count=50&page=1`);
    expect(((await raw.json()) as { total_size: number }).total_size).toBe(3);
    const byUser = await client.findLists(user!.user_id);
    expect(byUser.map((l) => l.list_id).sort()).toEqual([a, b].sort());
  });
});

describe("rosters and members", () => {
  it("subscribe returns the member id; roster, fullRoster and rosterSize see the member", async () => {
    const listId = await newList();
    const email = address("sub");
    const result = await subscribeNow(listId, email, { displayName: "Sub Scriber" });
    expect(result.kind).toBe("subscribed");
    if (result.kind !== "subscribed") return;
    expect(result.memberId).toMatch(/^[0-9a-f]{32}$/);

    expect(await client.rosterSize(listId, "member")).toBe(1);
    const page = await client.roster(listId, "member", { count: 10, page: 1 });
    expect(page.total).toBe(1);
    expect(page.entries[0]).toMatchObject({ member_id: result.memberId, email, role: "member", list_id: listId, display_name: "Sub Scriber" });
    expect(await client.fullRoster(listId, "member")).toEqual(page.entries);
    expect((await client.getList(listId))?.member_count).toBe(1);
  });

  it("rosters page in e-mail order", async () => {
    const listId = await newList();
    const emails = [address("p"), address("p"), address("p"), address("p"), address("p")];
    for (const email of emails) await subscribeNow(listId, email);
    const pages: Member[] = [];
    for (let page = 1; page <= 3; page++) pages.push(...(await client.roster(listId, "member", { count: 2, page })).entries);
    expect(pages.map((m) => m.email)).toEqual([...emails].sort());
    expect((await client.fullRoster(listId, "member")).map((m) => m.email)).toEqual([...emails].sort());
  });

  it("projects rosters and member searches to the requested fields", async () => {
    const listId = await newList();
    const email = address("proj");
    await subscribeNow(listId, email);

    const roster = await client.roster(listId, "member", { count: 10, page: 1 }, ["email", "role"]);
    expect(roster.entries).toHaveLength(1);
    expect(Object.keys(roster.entries[0]!).sort()).toEqual(["email", "role"]);
    expect(roster.entries[0]).toEqual({ email, role: "member" });

    const full = await client.fullRoster(listId, "member", ["member_id"]);
    expect(Object.keys(full[0]!)).toEqual(["member_id"]);

    const found = await client.findMembers({ listId, subscriber: email }, { count: 10, page: 1 }, ["email", "list_id"]);
    expect(found.entries).toEqual([{ email, list_id: listId }]);
  });

  it("findMembers matches wildcard subscribers", async () => {
    const listId = await newList();
    const tag = uniqueName("w");
    const alice = `alice-${tag}@people.example.test`;
    const bob = `bob-${tag}@people.example.test`;
    await subscribeNow(listId, alice);
    await subscribeNow(listId, bob);
    await subscribeNow(listId, alice, { role: "moderator" });

    const both = await client.findMembers({ listId, subscriber: `*${tag}*`, role: "member" }, { count: 10, page: 1 });
    expect(both.entries.map((m) => m.email).sort()).toEqual([alice, bob]);
    const onlyAlice = await client.findMembers({ subscriber: `*alice-${tag}*` }, { count: 10, page: 1 });
    expect(onlyAlice.total).toBe(2);
    expect(onlyAlice.entries.map((m) => m.role).sort()).toEqual(["member", "moderator"]);
    const moderators = await client.findMembers({ listId, role: "moderator" }, { count: 10, page: 1 });
    expect(moderators.entries.map((m) => m.email)).toEqual([alice]);
    const nobody = await client.findMembers({ listId, subscriber: `*nobody-${tag}*` }, { count: 10, page: 1 });
    expect(nobody).toEqual({ start: 0, total: 0, entries: [] });
  });

  it("subscribe on a moderated list without pre-approval returns a pending token", async () => {
    const listId = await newList();
    await client.patchListConfig(listId, { subscription_policy: "moderate" });
    const result = await client.subscribe({ listId, subscriber: address("pending"), preVerified: true, preConfirmed: true, preApproved: false });
    expect(result).toMatchObject({ kind: "pending", tokenOwner: "moderator" });
    if (result.kind === "pending") expect(result.token).toMatch(/^[0-9a-f]+$/);
    expect(await client.rosterSize(listId, "member")).toBe(0);
  });

  it("a duplicate subscription is a 409", async () => {
    const listId = await newList();
    const email = address("twice");
    await subscribeNow(listId, email);
    const error = await mailmanError(subscribeNow(listId, email));
    expect(error.status).toBe(409);
    expect(error.description).toBe("Member already subscribed");
  });

  it("subscribes owners", async () => {
    const listId = await newList();
    const owner = address("owner");
    const result = await client.subscribe({ listId, subscriber: owner, role: "owner", preVerified: true });
    expect(result.kind).toBe("subscribed");
    expect(await client.rosterSize(listId, "owner")).toBe(1);
    expect(await client.rosterSize(listId, "member")).toBe(0);
    expect((await client.fullRoster(listId, "owner")).map((m) => [m.email, m.role])).toEqual([[owner, "owner"]]);
  });

  it("deleteMember", async () => {
    const listId = await newList();
    const result = await subscribeNow(listId, address("gone"));
    if (result.kind !== "subscribed") throw new Error("expected a subscription");
    await client.deleteMember(result.memberId);
    expect(await client.rosterSize(listId, "member")).toBe(0);
    expect((await mailmanError(client.deleteMember(result.memberId))).status).toBe(404);
  });

  it("sends the welcome message through the SMTP sink", async (context) => {
    const { maildir } = testCore();
    if (!maildir) context.skip("the core's outgoing mail is not reachable (MAILMAN_TEST_MAILDIR unset)");
    const listId = await newList();
    const email = address("welcome");
    await client.subscribe({ listId, subscriber: email, preVerified: true, preConfirmed: true, preApproved: true, sendWelcomeMessage: true });
    const mail = await waitForMail(maildir, (m) => m.to.includes(email), 45_000);
    expect(mail.subject).toMatch(/^Welcome to the ".+" mailing list$/);
    expect(mail.headers["list-id"]).toContain(listId);
    // The list name has no dot, so the first one separates it from the domain.
    expect(mail.body).toContain(`To post to this list, send your message to:\n\n  ${listId.replace(".", "@")}`);
  });
});

describe("users and addresses", () => {
  it("getUser drops the password hash the core sends (Q-17)", async () => {
    const email = address("user");
    const created = await rawRest("POST", "/users", { email, password: "s3cret-pw", display_name: "Ursula" });
    expect(created.status).toBe(201);
    const raw = (await (await rawRest("GET", `/users/${encodeURIComponent(email)}`)).json()) as Record<string, unknown>;
    expect(raw).toHaveProperty("password");

    const user = await client.getUser(email);
    expect(user).toMatchObject({ display_name: "Ursula", is_server_owner: false });
    expect(user?.user_id).toMatch(/^[0-9a-f]{32}$/);
    expect(user).not.toHaveProperty("password");
    expect(await client.getUser(user!.user_id)).toEqual(user);
  });

  it("getUser of an unknown address is null", async () => {
    expect(await client.getUser(address("nobody"))).toBeNull();
  });

  it("userAddresses and getAddress", async () => {
    const local = uniqueName("Mixed");
    const original = `${local.toUpperCase()}@People.Example.Test`;
    const lower = original.toLowerCase();
    expect((await rawRest("POST", "/users", { email: original })).status).toBe(201);
    const user = await client.getUser(lower);
    expect(user).not.toBeNull();

    const addresses = await client.userAddresses(user!.user_id);
    expect(addresses).toHaveLength(1);
    expect(addresses[0]).toMatchObject({ email: lower, original_email: original, user: expect.stringContaining(user!.user_id) });

    const found = await client.getAddress(original);
    expect(found).toMatchObject({ email: lower, original_email: original });
    expect(typeof found?.registered_on).toBe("string");
    expect(await client.getAddress(address("unknown"))).toBeNull();
  });
});

describe("errors, transport and instrumentation", () => {
  it("a wrong password is a 401 whose message mentions the credentials", async () => {
    const wrong = testClient({ password: "definitely-wrong" });
    const error = await mailmanError(wrong.versions());
    expect(error.status).toBe(401);
    expect(error.userMessage).toMatch(/credentials/);
    expect(error.message).not.toContain("definitely-wrong");
    // getOrNull only hides 404s.
    await expect(wrong.getDomain("x.example.test")).rejects.toMatchObject({ status: 401 });
  });

  it("a closed port is a refused transport error", async () => {
    const [port] = await freePorts(1);
    const closed = new MailmanClient({ ...testConnection(), baseUrl: `http://127.0.0.1:${port}`, retries: 1 });
    const { result: error, calls } = await withMailmanCallLog(() => closed.versions().catch((e: unknown) => e));
    expect(error).toBeInstanceOf(MailmanTransportError);
    expect(error).toMatchObject({ kind: "refused", method: "GET", path: "/system/versions" });
    expect((error as MailmanTransportError).userMessage).toMatch(/Connection refused/);
    // One record per attempt: the first try and one retry.
    expect(calls.map((c) => c.status)).toEqual(["transport-error", "transport-error"]);
  });

  it("withMailmanCallLog records each REST call made inside it", async () => {
    const mailHost = await newDomain();
    const { result, calls } = await withMailmanCallLog(async () => {
      await client.versions();
      await client.getDomain(mailHost);
      return client.getDomain(`${uniqueName("missing")}.example.test`);
    });
    expect(result).toBeNull();
    expect(calls.map((c) => [c.method, c.path, c.status])).toEqual([
      ["GET", "/system/versions", 200],
      ["GET", `/domains/${mailHost}`, 200],
      ["GET", expect.stringMatching(/^\/domains\/missing-/), 404],
    ]);
    expect(calls.every((c) => c.server === client.baseUrl && c.ms >= 0)).toBe(true);

    // Calls outside the scope are not recorded.
    const outer = await withMailmanCallLog(async () => 1);
    await client.versions();
    expect(outer.calls).toEqual([]);
  });
});
