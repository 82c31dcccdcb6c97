import { beforeAll, describe, expect, it } from "vitest";
import { authorizeList } from "@/lib/auth/list-access";
import type { Viewer } from "@/lib/auth/users";
import { ConflictError, InvalidInputError } from "@/lib/errors";
import { withMailmanCallLog, type MailmanClient } from "@/lib/mailman";
import type { TargetSummary } from "@/lib/targets/targets";
import { testClient, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { loadListIndex } from "./list-index";
import { createList, deleteList, listCreationOptions } from "./lists";

let superuser: Viewer;
let target: TargetSummary;
let core: MailmanClient;
let defaultStyle: string;

beforeAll(async () => {
  superuser = await makeUser({ superuser: true });
  target = await makeTarget(superuser);
  core = testClient();
  defaultStyle = (await core.listStyles()).default;
});

function newList(overrides: { name?: string; advertised?: boolean; description?: string; ownerEmail?: string; styleName?: string } = {}) {
  return {
    targetId: target.id,
    mailHost: target.domain,
    name: overrides.name ?? uniqueName("list"),
    styleName: overrides.styleName ?? defaultStyle,
    ownerEmail: overrides.ownerEmail ?? superuser.verifiedEmails[0]!,
    description: overrides.description ?? "",
    advertised: overrides.advertised ?? true,
  };
}

describe("listCreationOptions", () => {
  it("offers the core's domains, styles and name rule, defaulting to the target's domain", async () => {
    const options = await listCreationOptions(target.id);
    expect(options.defaultDomain).toBe(target.domain);
    expect(options.domains).toContain(target.domain);
    expect(options.styles.map((s) => s.name)).toContain(options.defaultStyle);
    expect(options.listnameChars).toMatch(/^\[.*\]$/);
  });
});

describe("createList", () => {
  it("creates the list with its first owner, description and advertised flag", async () => {
    const owner = `owner-${uniqueName("o")}@people.example.test`;
    const input = newList({ ownerEmail: owner, description: "Weekly notes of the ant team", advertised: false });
    const { listId } = await createList(input);
    expect(listId).toBe(`${input.name}.${target.domain}`);

    const list = await core.getList(listId);
    expect(list).toMatchObject({ fqdn_listname: `${input.name}@${target.domain}`, description: "Weekly notes of the ant team", advertised: false });
    const owners = await core.fullRoster(listId, "owner", ["email"]);
    expect(owners.map((m) => m.email)).toEqual([owner]);
  });

  it("lower-cases the name as the core would", async () => {
    const name = uniqueName("Gamma");
    const { listId } = await createList(newList({ name: name.replace(/^g/, "G") }));
    expect(listId).toBe(`${name.toLowerCase()}.${target.domain}`);
  });

  it("refuses an unknown style before anything is created (Q-1)", async () => {
    const input = newList({ styleName: "no-such-style" });
    const failure = createList(input);
    await expect(failure).rejects.toBeInstanceOf(InvalidInputError);
    await expect(failure).rejects.toMatchObject({ field: "styleName", message: expect.stringMatching(/no-such-style/) });
    expect(await core.getList(`${input.name}.${target.domain}`)).toBeNull();
  });

  it("refuses characters the core does not allow, naming them", async () => {
    const failure = createList(newList({ name: "de$lta" }));
    await expect(failure).rejects.toBeInstanceOf(InvalidInputError);
    await expect(failure).rejects.toMatchObject({ field: "name", message: expect.stringContaining('"$"') });
    expect(await core.getList(`de$lta.${target.domain}`)).toBeNull();
  });

  it("refuses a name that collides with another list's -owner address", async () => {
    const name = `${uniqueName("beta")}-owner`;
    const failure = createList(newList({ name }));
    await expect(failure).rejects.toMatchObject({ field: "name", message: expect.stringContaining('"-owner"') });
    expect(await core.getList(`${name}.${target.domain}`)).toBeNull();
  });

  it("reports a duplicate as a conflict on the name", async () => {
    const input = newList();
    await createList(input);
    const again = createList(input);
    await expect(again).rejects.toBeInstanceOf(ConflictError);
    await expect(again).rejects.toMatchObject({ field: "name", message: expect.stringContaining("already exists") });
  });

  it("refuses a domain the core does not have", async () => {
    const mailHost = `${uniqueName("nowhere")}.example.test`;
    const failure = createList({ ...newList(), mailHost });
    await expect(failure).rejects.toBeInstanceOf(InvalidInputError);
    await expect(failure).rejects.toMatchObject({ field: "mailHost", message: expect.stringContaining(mailHost) });
  });
});

describe("deleteList", () => {
  it("refuses a wrong confirmation and deletes with the posting address", async () => {
    const input = newList();
    const { listId } = await createList(input);
    const access = await authorizeList(superuser, target.id, listId, "administer");

    await expect(deleteList(access, `${input.name}@elsewhere.example.test`)).rejects.toMatchObject({ field: "confirm" });
    expect(await core.getList(listId)).not.toBeNull();

    await deleteList(access, ` ${input.name.toUpperCase()}@${target.domain} `);
    expect(await core.getList(listId)).toBeNull();
  });
});

describe("loadListIndex", () => {
  let tag: string;
  let owner: Viewer;
  let plain: Viewer;
  const ids: Record<"open" | "hidden" | "owned", string> = { open: "", hidden: "", owned: "" };

  beforeAll(async () => {
    tag = uniqueName("idx");
    owner = await makeUser();
    plain = await makeUser();
    ids.open = (await createList(newList({ name: `${tag}-a-open`, description: "Everyone welcome" }))).listId;
    ids.hidden = (await createList(newList({ name: `${tag}-b-hidden`, advertised: false }))).listId;
    ids.owned = (await createList(newList({ name: `${tag}-c-owned`, advertised: false, ownerEmail: owner.verifiedEmails[0]! })))
      .listId;
  });

  const query = (q: string, page = 1, pageSize = 25) => ({ q, page, pageSize, targetId: target.id });

  it("shows a superuser every list, unadvertised ones included", async () => {
    const result = await loadListIndex(superuser, query(tag));
    expect(result.entries.map((e) => e.listId)).toEqual([ids.open, ids.hidden, ids.owned]);
    expect(result.unreachable).toEqual([]);
    expect(result.entries.every((e) => e.targetId === target.id && e.targetName === target.name)).toBe(true);
  });

  it("shows a plain user only the advertised lists", async () => {
    const result = await loadListIndex(plain, query(tag));
    expect(result.entries.map((e) => e.listId)).toEqual([ids.open]);
    expect(result.entries[0]?.mine).toBe(false);
  });

  it("shows an owner their unadvertised list, marked as theirs", async () => {
    const result = await loadListIndex(owner, query(tag));
    expect(result.entries.map((e) => [e.listId, e.mine])).toEqual([
      [ids.open, false],
      [ids.owned, true],
    ]);
  });

  it("shows a member their unadvertised list, but not a list they only once wrote to (nonmember)", async () => {
    const member = await makeUser();
    const [mail] = member.verifiedEmails;
    await core.subscribe({ listId: ids.hidden, subscriber: mail!, role: "member", preVerified: true, preConfirmed: true, preApproved: true });
    // The core keeps a `nonmember` record for anyone who posted to a list without being on it.
    await core.subscribe({ listId: ids.owned, subscriber: mail!, role: "nonmember" });
    const result = await loadListIndex(member, query(tag));
    expect(result.entries.map((e) => [e.listId, e.mine])).toEqual([
      [ids.open, false],
      [ids.hidden, true],
    ]);
  });

  it("costs a plain user with one address one call: their memberships (the lists come from the snapshot)", async () => {
    await loadListIndex(owner, query(tag));
    const { calls } = await withMailmanCallLog(() => loadListIndex(owner, query(tag)));
    expect(calls.map((c) => `${c.method} ${c.path.split("?")[0]}`)).toEqual([expect.stringMatching(/^GET .*\/members\/find$/)]);
  });

  it("filters by the search text", async () => {
    const byName = await loadListIndex(superuser, query(`${tag}-b`));
    expect(byName.entries.map((e) => e.listId)).toEqual([ids.hidden]);
    const byDescription = await loadListIndex(superuser, query("everyone WELCOME"));
    expect(byDescription.entries.map((e) => e.listId)).toContain(ids.open);
    expect(byDescription.entries.map((e) => e.listId)).not.toContain(ids.hidden);
  });

  it("pages the matches", async () => {
    const first = await loadListIndex(superuser, query(tag, 1, 2));
    expect(first).toMatchObject({ total: 3, page: 1, pageSize: 2, pageCount: 2 });
    expect(first.entries.map((e) => e.listId)).toEqual([ids.open, ids.hidden]);
    const second = await loadListIndex(superuser, query(tag, 2, 2));
    expect(second.entries.map((e) => e.listId)).toEqual([ids.owned]);
    const beyond = await loadListIndex(superuser, query(tag, 9, 2));
    expect(beyond.page).toBe(2);
  });

  it("costs a superuser no core call once the server's lists were read, and says how old the copy is", async () => {
    await loadListIndex(superuser, query(tag));
    const { result, calls } = await withMailmanCallLog(() => loadListIndex(superuser, query(tag)));
    expect(result.total).toBe(3);
    expect(calls).toEqual([]);
    expect(result.snapshotAt).toBeInstanceOf(Date);
    expect(Date.now() - result.snapshotAt!.getTime()).toBeLessThan(5 * 60_000);
  });

  it("reports a target whose core cannot be reached instead of failing", async () => {
    const broken = await makeTarget(superuser);
    // Point the stored target at a closed port: the index must name it and still answer.
    const { getDb } = await import("@/db/client");
    const { provisionerTargets } = await import("@/db/schema");
    const { eq } = await import("drizzle-orm");
    const db = await getDb();
    await db.update(provisionerTargets).set({ serverUrl: "http://127.0.0.1:9" }).where(eq(provisionerTargets.id, broken.id));
    const result = await loadListIndex(superuser, { q: tag, page: 1, pageSize: 100_000 });
    // On a shared PostgreSQL database other suites' damaged targets may be listed too.
    expect(result.unreachable.find((u) => u.targetId === broken.id)?.message).toBeTruthy();
    expect(result.unreachable.map((u) => u.targetId)).not.toContain(target.id);
    expect(result.entries.filter((e) => e.targetId === target.id).map((e) => e.listId)).toEqual([ids.open, ids.hidden, ids.owned]);
  });
});
