import { describe, expect, it } from "vitest";
import type { MailmanClient } from "@/lib/mailman";
import { fetchRosterPage, isFiltered, parseRosterQuery, rosterQuerySchema, rosterSearchParams, searchPattern } from "./roster";

describe("roster query", () => {
  it("defaults to the first page of 25 members", () => {
    expect(parseRosterQuery({})).toEqual({ role: "member", q: "", page: 1, size: 25, mode: undefined, status: undefined, moderation: undefined });
  });

  it("reads URL values, first of repeated ones, and trims the search", () => {
    expect(parseRosterQuery({ role: "nonmember", q: ["  Jane ", "x"], status: "by_bounces", mode: "mime_digests", moderation: "default", page: "3", size: "100" })).toMatchObject({
      role: "nonmember",
      q: "Jane",
      status: "by_bounces",
      mode: "mime_digests",
      moderation: "default",
      page: 3,
      size: 100,
    });
  });

  it("falls back per field on bad values, and the strict schema refuses them", () => {
    const raw = { role: "admin", page: "-1", size: "101", moderation: "defer", q: "ok" };
    const parsed = parseRosterQuery(raw);
    expect(parsed).toMatchObject({ role: "member", page: 1, size: 25, q: "ok" });
    expect(parsed.moderation).toBeUndefined();
    expect(rosterQuerySchema.safeParse(raw).success).toBe(false);
  });

  it("wraps the search in wildcards unless it has its own", () => {
    expect(searchPattern("jane")).toBe("*jane*");
    expect(searchPattern("jane*")).toBe("jane*");
    expect(isFiltered(parseRosterQuery({}))).toBe(false);
    expect(isFiltered(parseRosterQuery({ moderation: "hold" }))).toBe(true);
  });

  it("builds short links", () => {
    expect(rosterSearchParams(parseRosterQuery({})).toString()).toBe("");
    expect(rosterSearchParams({ ...parseRosterQuery({ role: "owner", q: "a b" }), page: 2 }).toString()).toBe("role=owner&q=a+b&page=2");
  });
});

describe("one core call per page", () => {
  function fakeClient() {
    const calls: { method: string; args: unknown[] }[] = [];
    const page = { start: 0, total: 0, entries: [] };
    const client = {
      roster: async (...args: unknown[]) => (calls.push({ method: "roster", args }), page),
      findMembers: async (...args: unknown[]) => (calls.push({ method: "findMembers", args }), page),
    } as unknown as MailmanClient;
    return { client, calls };
  }

  it("uses the roster without search or filters and members/find otherwise", async () => {
    const { client, calls } = fakeClient();
    await fetchRosterPage(client, "l.example", parseRosterQuery({ role: "owner" }), { count: 25, page: 1 }, ["email"]);
    await fetchRosterPage(client, "l.example", parseRosterQuery({ q: "Jane", moderation: "default", status: "by_bounces" }), { count: 25, page: 2 }, ["email"]);
    expect(calls).toEqual([
      { method: "roster", args: ["l.example", "owner", { count: 25, page: 1 }, ["email"]] },
      {
        method: "findMembers",
        args: [
          { listId: "l.example", role: "member", subscriber: "*Jane*", deliveryMode: undefined, deliveryStatus: "by_bounces", moderationAction: "" },
          { count: 25, page: 2 },
          ["email"],
        ],
      },
    ]);
  });
});
