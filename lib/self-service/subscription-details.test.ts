import { describe, expect, it } from "vitest";
import { resolvePreferences } from "./subscription-details";

describe("resolvePreferences", () => {
  it("takes the first level that sets a key, false included, and names it", () => {
    const rows = resolvePreferences(
      { subscription: { delivery_mode: "mime_digests" }, address: { receive_own_postings: false }, account: { receive_own_postings: true, acknowledge_posts: true } },
      { delivery_mode: "regular", receive_own_postings: true, acknowledge_posts: false, hide_address: true },
    );
    const by = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(by.delivery_mode).toMatchObject({ effective: "mime_digests", source: "subscription" });
    expect(by.receive_own_postings).toMatchObject({ effective: false, source: "address" });
    expect(by.acknowledge_posts).toMatchObject({ effective: true, source: "account" });
    expect(by.hide_address).toMatchObject({ effective: true, source: "system" });
  });
});
