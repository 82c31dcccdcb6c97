import { beforeAll, describe, expect, it } from "vitest";
import { authorizeList, type ListAccess } from "@/lib/auth/list-access";
import { ConflictError, InvalidInputError } from "@/lib/errors";
import { withMailmanCallLog, type MailmanClient } from "@/lib/mailman";
import { addHeaderMatch, listHeaderMatches } from "@/lib/mailman/header-matches";
import type { TargetSummary } from "@/lib/targets/targets";
import { testClient, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { addHeaderFilter, deleteHeaderFilter, loadHeaderFilters, moveHeaderFilter, updateHeaderFilter } from "./header-filters";

let target: TargetSummary;
let core: MailmanClient;

beforeAll(async () => {
  const superuser = await makeUser({ superuser: true });
  target = await makeTarget(superuser);
  core = testClient();
});

/** A fresh list owned by a fresh (non-superuser) account, and that owner's access to it. */
async function ownedList(): Promise<ListAccess> {
  const owner = await makeUser();
  const listId = await core.createList({ fqdnListname: `${uniqueName("hf")}@${target.domain}` });
  await core.subscribe({ listId, subscriber: owner.verifiedEmails[0]!, role: "owner", preVerified: true, preConfirmed: true, preApproved: true });
  return authorizeList(owner, target.id, listId, "administer");
}

const ref = (access: ListAccess) => ({ targetId: access.target.id, listId: access.list.list_id });
const seen = (rule: { position: number; header: string; pattern: string }) => ({ position: rule.position, expectedHeader: rule.header, expectedPattern: rule.pattern });
const summary = async (access: ListAccess) => (await listHeaderMatches(core, access.list.list_id)).map((m) => [m.position, m.header, m.pattern, m.action ?? null, m.tag ?? null]);

describe("header filters", () => {
  it("adds rules at the end, with the site default, an action and a tag", async () => {
    const access = await ownedList();
    await addHeaderFilter(access, { ...ref(access), header: "X-Spam-Flag", pattern: "^yes", action: "hold", tag: "SpamAssassin" });
    const added = await addHeaderFilter(access, { ...ref(access), header: "X-Bogosity", pattern: "Spam", action: "default" });
    expect(added).toMatchObject({ position: 1, header: "x-bogosity", action: "default", tag: "" });
    expect(await summary(access)).toEqual([
      [0, "x-spam-flag", "^yes", "hold", "SpamAssassin"],
      [1, "x-bogosity", "Spam", null, null],
    ]);
    expect((await loadHeaderFilters(access)).map((r) => r.action)).toEqual(["hold", "default"]);
  });

  it("refuses defer before anything is sent to the core (Q-2)", async () => {
    const access = await ownedList();
    const { calls, result } = await withMailmanCallLog(() =>
      addHeaderFilter(access, { ...ref(access), header: "X-A", pattern: "a", action: "defer" }).then(
        () => null,
        (error: unknown) => error,
      ),
    );
    expect(result).toBeInstanceOf(InvalidInputError);
    expect(result).toMatchObject({ field: "action", message: expect.stringMatching(/shunted/) });
    expect(calls).toEqual([]);
    expect(await summary(access)).toEqual([]);
  });

  it("refuses a malformed header name and a pattern JavaScript cannot compile, without calling the core", async () => {
    const access = await ownedList();
    const { calls } = await withMailmanCallLog(async () => {
      await expect(addHeaderFilter(access, { ...ref(access), header: "bad header:", pattern: "a", action: "hold" })).rejects.toMatchObject({ field: "header" });
      await expect(addHeaderFilter(access, { ...ref(access), header: "X-A", pattern: "[bad", action: "hold" })).rejects.toMatchObject({ field: "pattern" });
    });
    expect(calls).toEqual([]);
  });

  it("shows the core's own refusals: a duplicate rule and a pattern only Python rejects", async () => {
    const access = await ownedList();
    await addHeaderFilter(access, { ...ref(access), header: "X-A", pattern: "a", action: "hold" });
    const duplicate = addHeaderFilter(access, { ...ref(access), header: "x-a", pattern: "a", action: "discard" });
    await expect(duplicate).rejects.toBeInstanceOf(ConflictError);
    await expect(duplicate).rejects.toMatchObject({ field: "pattern", message: expect.stringMatching(/already has a rule/) });
    // Valid in JavaScript (a named group without P), not in Python: the core is the judge.
    const pythonOnly = addHeaderFilter(access, { ...ref(access), header: "X-B", pattern: "(?<w>spam)", action: "hold" });
    await expect(pythonOnly).rejects.toBeInstanceOf(InvalidInputError);
    await expect(pythonOnly).rejects.toMatchObject({ field: "pattern", message: expect.stringMatching(/Python.*valid regexp/) });
    // Python-only syntax that Listkeeper translates to check is accepted and stored as typed.
    await addHeaderFilter(access, { ...ref(access), header: "X-C", pattern: "(?i)(?P<w>spam)", action: "reject" });
    expect((await summary(access)).map((r) => r[2])).toEqual(["a", "(?i)(?P<w>spam)"]);
  });

  it("edits one rule with one PATCH of the changed fields, keeping an untouched tag's case and the order", async () => {
    const access = await ownedList();
    await addHeaderFilter(access, { ...ref(access), header: "X-A", pattern: "a", action: "hold", tag: "KeepMe" });
    await addHeaderFilter(access, { ...ref(access), header: "X-B", pattern: "b", action: "hold", tag: "Other" });
    const { calls, result } = await withMailmanCallLog(() =>
      updateHeaderFilter(access, { ...ref(access), ...seen({ position: 0, header: "x-a", pattern: "a" }), header: "X-A", pattern: "a+", action: "default", tag: "KeepMe" }),
    );
    expect(result.changed.sort()).toEqual(["action", "pattern"]);
    expect(calls.map((c) => c.method)).toEqual(["GET", "PATCH"]);
    expect(await summary(access)).toEqual([
      [0, "x-a", "a+", null, "KeepMe"],
      [1, "x-b", "b", "hold", "Other"],
    ]);
    const unchanged = await withMailmanCallLog(() =>
      updateHeaderFilter(access, { ...ref(access), ...seen({ position: 1, header: "x-b", pattern: "b" }), header: "x-b", pattern: "b", action: "hold", tag: "Other" }),
    );
    expect(unchanged.calls.map((c) => c.method)).toEqual(["GET"]);
  });

  it("refuses an edit that would duplicate another rule (the core would accept it on PATCH)", async () => {
    const access = await ownedList();
    await addHeaderFilter(access, { ...ref(access), header: "X-A", pattern: "a", action: "hold" });
    await addHeaderFilter(access, { ...ref(access), header: "X-B", pattern: "b", action: "hold" });
    const edit = updateHeaderFilter(access, { ...ref(access), ...seen({ position: 1, header: "x-b", pattern: "b" }), header: "X-A", pattern: "a", action: "hold" });
    await expect(edit).rejects.toMatchObject({ field: "pattern" });
    expect((await summary(access)).map((r) => r[1])).toEqual(["x-a", "x-b"]);
  });

  it("moves a rule up and down keeping every tag, in 2 REST calls per move", async () => {
    const access = await ownedList();
    for (const [header, tag] of [["X-A", "ta"], ["X-B", "TB"], ["X-C", ""]] as const) {
      await addHeaderFilter(access, { ...ref(access), header, pattern: header.toLowerCase(), action: "hold", tag });
    }
    // Rules written by another tool keep their tag through Listkeeper's moves.
    await addHeaderMatch(core, access.list.list_id, { header: "x-d", pattern: "d", action: null, tag: "Tool-Tag" });

    const up = await withMailmanCallLog(() => moveHeaderFilter(access, { ...ref(access), ...seen({ position: 3, header: "x-d", pattern: "d" }), to: 2 }));
    expect(up.calls.map((c) => `${c.method} ${c.path.replace(/^\/lists\/[^/]+/, "")}`)).toEqual(["GET /header-matches/3", "PATCH /header-matches/3"]);
    expect(up.calls).toHaveLength(2);
    const down = await withMailmanCallLog(() => moveHeaderFilter(access, { ...ref(access), ...seen({ position: 0, header: "x-a", pattern: "x-a" }), to: 1 }));
    expect(down.calls).toHaveLength(2);

    expect(await summary(access)).toEqual([
      [0, "x-b", "x-b", "hold", "TB"],
      [1, "x-a", "x-a", "hold", "ta"],
      [2, "x-d", "d", null, "Tool-Tag"],
      [3, "x-c", "x-c", "hold", null],
    ]);
  });

  it("costs an owner 4 REST calls per reorder through the action's path (guard 2 + check 1 + PATCH 1)", async () => {
    const access = await ownedList();
    await addHeaderFilter(access, { ...ref(access), header: "X-A", pattern: "a", action: "hold" });
    await addHeaderFilter(access, { ...ref(access), header: "X-B", pattern: "b", action: "hold" });
    const { calls } = await withMailmanCallLog(async () => {
      const guarded = await authorizeList(access.viewer, access.target.id, access.list.list_id, "administer");
      await moveHeaderFilter(guarded, { ...ref(access), ...seen({ position: 1, header: "x-b", pattern: "b" }), to: 0 });
    });
    expect(calls).toHaveLength(4);
    expect(calls.filter((c) => c.path === "/members/find")).toHaveLength(1);
    expect(calls.filter((c) => c.method !== "GET")).toHaveLength(1);
  });

  it("refuses to move or delete a rule that is no longer where the user saw it", async () => {
    const access = await ownedList();
    await addHeaderFilter(access, { ...ref(access), header: "X-A", pattern: "a", action: "hold" });
    await addHeaderFilter(access, { ...ref(access), header: "X-B", pattern: "b", action: "hold" });
    // Someone else moved x-b to the top meanwhile.
    await core.send("PATCH", `/lists/${access.list.list_id}/header-matches/1`, { position: 0 });
    await expect(moveHeaderFilter(access, { ...ref(access), ...seen({ position: 1, header: "x-b", pattern: "b" }), to: 0 })).rejects.toBeInstanceOf(ConflictError);
    await expect(deleteHeaderFilter(access, { ...ref(access), ...seen({ position: 0, header: "x-a", pattern: "a" }) })).rejects.toBeInstanceOf(ConflictError);
    await expect(moveHeaderFilter(access, { ...ref(access), ...seen({ position: 1, header: "x-a", pattern: "a" }), to: 2 })).rejects.toMatchObject({
      message: expect.stringMatching(/cannot be 2 or higher/),
    });
    expect((await summary(access)).map((r) => r[1])).toEqual(["x-b", "x-a"]);
  });

  it("deletes one rule and the others close up, keeping their tags", async () => {
    const access = await ownedList();
    await addHeaderFilter(access, { ...ref(access), header: "X-A", pattern: "a", action: "hold", tag: "One" });
    await addHeaderFilter(access, { ...ref(access), header: "X-B", pattern: "b", action: "reject" });
    await addHeaderFilter(access, { ...ref(access), header: "X-C", pattern: "c", action: "accept", tag: "Three" });
    const { calls } = await withMailmanCallLog(() => deleteHeaderFilter(access, { ...ref(access), ...seen({ position: 1, header: "x-b", pattern: "b" }) }));
    expect(calls.map((c) => c.method)).toEqual(["GET", "DELETE"]);
    expect(await summary(access)).toEqual([
      [0, "x-a", "a", "hold", "One"],
      [1, "x-c", "c", "accept", "Three"],
    ]);
  });
});
