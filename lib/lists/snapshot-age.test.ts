import { describe, expect, it } from "vitest";
import { snapshotAgeText } from "./snapshot-age";

describe("snapshotAgeText", () => {
  const now = new Date("2026-12-01T12:00:00Z");
  const ago = (ms: number) => new Date(now.getTime() - ms);
  it("says how long ago the copy was read, in the largest whole unit", () => {
    expect(snapshotAgeText(ago(1_000), now)).toBe("just now");
    expect(snapshotAgeText(ago(42_000), now)).toBe("42 s ago");
    expect(snapshotAgeText(ago(3 * 60_000 + 5_000), now)).toBe("3 min ago");
    expect(snapshotAgeText(ago(2 * 3_600_000), now)).toBe("2 h ago");
    expect(snapshotAgeText(ago(3 * 86_400_000), now)).toBe("3 days ago");
  });
  it("never says a negative age (clocks of app and database differ a little)", () => {
    expect(snapshotAgeText(new Date(now.getTime() + 3_000), now)).toBe("just now");
  });
});
