import { describe, expect, it } from "vitest";
import type { MailingList, Member } from "@/lib/mailman";
import { buildEntries } from "./my-lists";

const list = (name: string, advertised = true): MailingList =>
  ({ list_id: `${name}.x.test`, fqdn_listname: `${name}@x.test`, list_name: name, display_name: name, advertised, description: "" }) as MailingList;
const member = (listName: string, email: string, extra: Partial<Member> = {}): Member => ({
  member_id: `${listName}-${email}-${extra.role ?? "member"}`.replace(/[^a-z0-9]/g, ""),
  list_id: `${listName}.x.test`,
  email,
  role: "member",
  subscription_mode: "as_address",
  ...extra,
});
const target = { id: 1, name: "one" };

describe("buildEntries", () => {
  it("keeps only memberships of exactly the verified addresses (a wildcard answer cannot add others)", () => {
    const { entries } = buildEntries(target, [list("a"), list("secret", false)], [member("a", "someone@else.test"), member("secret", "someone@else.test")], ["me@x.test"], []);
    expect(entries.map((e) => [e.listId, e.state])).toEqual([["a.x.test", "not_subscribed"]]);
  });

  it("shows unadvertised lists with a role, badges, 'primary address' subscriptions, and de-duplicates", () => {
    const sub = member("a", "ME@x.test", { subscription_mode: "as_user" });
    const { entries } = buildEntries(target, [list("a"), list("hidden", false)], [sub, sub, member("hidden", "me@x.test", { role: "owner" })], ["me@x.test"], []);
    expect(entries.find((e) => e.listId === "a.x.test")).toMatchObject({ state: "subscribed", subscriptions: [{ via: "primary", email: "me@x.test" }] });
    expect(entries.find((e) => e.listId === "hidden.x.test")).toMatchObject({ state: "not_subscribed", roles: ["owner"] });
  });

  it("shows waiting requests and drops those a moderator has decided", () => {
    const now = new Date();
    const pending = [
      { id: 1, accountId: "u", targetId: 1, listId: "a.x.test", kind: "subscribe" as const, email: "me@x.test", token: "t1", createdAt: now },
      { id: 2, accountId: "u", targetId: 1, listId: "b.x.test", kind: "subscribe" as const, email: "me@x.test", token: "t2", createdAt: now },
    ];
    const { entries, stale } = buildEntries(target, [list("a"), list("b")], [member("b", "me@x.test")], ["me@x.test"], pending);
    expect(entries.find((e) => e.listId === "a.x.test")?.state).toBe("pending_approval");
    expect(entries.find((e) => e.listId === "b.x.test")?.state).toBe("subscribed");
    expect(stale).toEqual([2]);
  });
});

describe("buildEntries: subscriptions waiting for the subscriber's confirmation", () => {
  const requestedAt = new Date("2026-12-01T08:00:00Z");
  it("shows 'pending confirmation' with the address mailed, and drops the record once that address is subscribed", () => {
    const confirmations = [
      { id: 7, listId: "a.x.test", email: "me@x.test", requestedAt },
      { id: 8, listId: "b.x.test", email: "alt@x.test", requestedAt },
    ];
    const { entries, staleConfirmations } = buildEntries(target, [list("a"), list("b")], [member("b", "alt@x.test")], ["me@x.test", "alt@x.test"], [], confirmations);
    expect(entries.find((e) => e.listId === "a.x.test")).toMatchObject({ state: "pending_confirmation", confirmation: { id: 7, email: "me@x.test", requestedAt: requestedAt.toISOString() } });
    expect(entries.find((e) => e.listId === "b.x.test")).toMatchObject({ state: "subscribed", confirmation: null });
    expect(staleConfirmations).toEqual([8]);
  });

  it("keeps a confirmation for another address visible beside a subscription (confirming it would subscribe the person twice, Q-9)", () => {
    const confirmations = [{ id: 9, listId: "a.x.test", email: "alt@x.test", requestedAt }];
    const { entries, staleConfirmations } = buildEntries(target, [list("a")], [member("a", "me@x.test")], ["me@x.test", "alt@x.test"], [], confirmations);
    expect(entries[0]).toMatchObject({ state: "subscribed", confirmation: { id: 9, email: "alt@x.test" } });
    expect(staleConfirmations).toEqual([]);
  });
});
