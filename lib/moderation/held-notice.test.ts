import { describe, expect, it } from "vitest";
import { heldNoticeHref, heldNoticeText, parseHeldNotice, type HeldNotice } from "./held-notice";

const QUEUE = "/lists/1/team.example.org/held";

function roundTrip(notice: HeldNotice): HeldNotice | null {
  const url = new URL(heldNoticeHref(QUEUE, notice), "http://localhost");
  expect(url.pathname).toBe(QUEUE);
  return parseHeldNotice(Object.fromEntries(url.searchParams));
}

describe("held notice", () => {
  it("survives the trip through the queue's address", () => {
    const notice: HeldNotice = { kind: "accept-always", partial: false, subject: "Café & co? #1", sender: "ann@example.org" };
    expect(roundTrip(notice)).toEqual(notice);
    expect(roundTrip({ kind: "discard-ban", partial: true })).toEqual({ kind: "discard-ban", partial: true, subject: undefined, sender: undefined });
  });

  it("says what was done in Listkeeper's own words", () => {
    expect(heldNoticeText({ kind: "accept", partial: false })).toEqual({ tone: "success", text: "Accepted: the message goes on to the list." });
    expect(heldNoticeText({ kind: "reject", partial: false }).text).toBe("Rejected: the sender was told.");
    expect(heldNoticeText({ kind: "accept-always", partial: false, sender: "ann@example.org" }).text).toBe(
      "Accepted: the message goes on to the list. Future posts from ann@example.org are accepted without moderation.",
    );
    expect(heldNoticeText({ kind: "discard-ban", partial: true, sender: "x@spam.example" })).toMatchObject({ tone: "warning", text: expect.stringContaining("x@spam.example could not be banned") });
    expect(heldNoticeText({ kind: "stale", partial: false }).tone).toBe("warning");
  });

  it("shows nothing for an unknown or missing kind, and drops parts that do not fit", () => {
    expect(parseHeldNotice({})).toBeNull();
    expect(parseHeldNotice({ done: "defer" })).toBeNull();
    expect(parseHeldNotice({ done: "<b>hacked</b>" })).toBeNull();
    expect(parseHeldNotice({ done: ["accept", "discard"], subject: ["one", "two"] })).toEqual({ kind: "accept", partial: false, subject: "one", sender: undefined });
    // Only the sender-related decisions can be partial; a sender must be an address.
    expect(parseHeldNotice({ done: "accept", partial: "1", sender: "Call 555-0100 now" })).toEqual({ kind: "accept", partial: false, subject: undefined, sender: undefined });
    expect(parseHeldNotice({ done: "reject", subject: "x".repeat(201) })?.subject).toBeUndefined();
    expect(parseHeldNotice({ done: "reject", subject: "   " })?.subject).toBeUndefined();
  });

  it("cuts a long subject so the address stays short", () => {
    const back = roundTrip({ kind: "discard", partial: false, subject: "s".repeat(500) });
    expect(back?.subject).toHaveLength(200);
    expect(back?.subject?.endsWith("…")).toBe(true);
  });
});
