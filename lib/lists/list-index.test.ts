import { describe, expect, it } from "vitest";
import { matchesQuery, mergeAndPage, withStatus, type ListIndexEntry } from "./list-index";

function entry(fqdn: string, overrides: Partial<ListIndexEntry> = {}): ListIndexEntry {
  const [local = "", host = ""] = fqdn.split("@");
  return {
    targetId: 1,
    targetName: "main",
    listId: `${local}.${host}`,
    fqdn,
    displayName: local.charAt(0).toUpperCase() + local.slice(1),
    description: "",
    memberCount: 0,
    advertised: true,
    mine: false,
    ...overrides,
  };
}

describe("matchesQuery", () => {
  const list = entry("ants@lists.example.org", { displayName: "Ant Lovers", description: "Formicidae and friends" });

  it("matches everything when the query is empty or blank", () => {
    expect(matchesQuery(list, "")).toBe(true);
    expect(matchesQuery(list, "   ")).toBe(true);
  });

  it("searches the address, display name, description and list id, ignoring case and outer spaces", () => {
    expect(matchesQuery(list, "ANTS@")).toBe(true);
    expect(matchesQuery(list, " lovers ")).toBe(true);
    expect(matchesQuery(list, "formicidae")).toBe(true);
    expect(matchesQuery(list, "ants.lists")).toBe(true);
  });

  it("does not match what is in none of those fields", () => {
    expect(matchesQuery(list, "bees")).toBe(false);
    expect(matchesQuery(list, "main")).toBe(false);
  });
});

describe("mergeAndPage", () => {
  const names = ["echo", "alpha", "delta", "charlie", "bravo"];
  const entries = names.map((n) => entry(`${n}@example.org`));

  it("orders by address and cuts pages", () => {
    const first = mergeAndPage(entries, { page: 1, pageSize: 2 });
    expect(first.entries.map((e) => e.fqdn)).toEqual(["alpha@example.org", "bravo@example.org"]);
    expect(first).toMatchObject({ total: 5, page: 1, pageSize: 2, pageCount: 3 });
    const last = mergeAndPage(entries, { page: 3, pageSize: 2 });
    expect(last.entries.map((e) => e.fqdn)).toEqual(["echo@example.org"]);
  });

  it("clamps a page past the end to the last page and a page below 1 to the first", () => {
    expect(mergeAndPage(entries, { page: 99, pageSize: 2 })).toMatchObject({ page: 3, pageCount: 3 });
    expect(mergeAndPage(entries, { page: 0, pageSize: 2 })).toMatchObject({ page: 1 });
    expect(mergeAndPage(entries, { page: Number.NaN, pageSize: 2 })).toMatchObject({ page: 1 });
  });

  it("filters before paging, so the total and page count describe the matches", () => {
    const tagged = entries.map((e, i) => ({ ...e, description: i % 2 === 0 ? "team list" : "public list" }));
    const result = mergeAndPage(tagged, { q: "team", page: 2, pageSize: 2 });
    // echo, delta and bravo (indices 0, 2, 4) are team lists: ordered bravo, delta | echo.
    expect(result).toMatchObject({ total: 3, page: 2, pageCount: 2 });
    expect(result.entries.map((e) => e.fqdn)).toEqual(["echo@example.org"]);
  });

  it("reports one empty page when nothing matches", () => {
    const result = mergeAndPage(entries, { q: "zulu", page: 4, pageSize: 25 });
    expect(result).toEqual({ entries: [], total: 0, page: 1, pageSize: 25, pageCount: 1 });
  });

  it("keeps the same list on two servers as two rows, ordered by server name", () => {
    const merged = mergeAndPage(
      [entry("ops@example.org", { targetId: 2, targetName: "west" }), entry("ops@example.org", { targetId: 1, targetName: "east" })],
      { page: 1, pageSize: 25 },
    );
    expect(merged.entries.map((e) => e.targetName)).toEqual(["east", "west"]);
  });

  it("does not reorder the caller's array", () => {
    const copy = [...entries];
    mergeAndPage(entries, { page: 1, pageSize: 25 });
    expect(entries).toEqual(copy);
  });
});

describe("withStatus", () => {
  const entries = [entry("a@x.org"), entry("b@x.org"), entry("c@x.org", { targetId: 2 })];
  const modes = new Map([
    ["1:b.x.org", "archived" as const],
    ["1:c.x.org", "disabled" as const],
  ]);

  it("marks disabled and archived lists by server and list id", () => {
    expect(withStatus(entries, modes, "all").map((e) => [e.fqdn, e.disabled])).toEqual([
      ["a@x.org", null],
      ["b@x.org", "archived"],
      ["c@x.org", null],
    ]);
  });

  it("keeps only disabled lists, or only active ones", () => {
    expect(withStatus(entries, modes, "disabled").map((e) => e.fqdn)).toEqual(["b@x.org"]);
    expect(withStatus(entries, modes, "active").map((e) => e.fqdn)).toEqual(["a@x.org", "c@x.org"]);
  });
});
