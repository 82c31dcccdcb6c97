import { describe, expect, it } from "vitest";
import { formatDateTime, toDate } from "./date-time";

describe("formatDateTime", () => {
  it("writes one format, 24-hour, with the zone shown", () => {
    const at = new Date("2026-11-20T22:38:10Z");
    expect(formatDateTime(at)).toBe("2026-11-20 22:38 UTC");
    expect(formatDateTime(at, "Europe/Berlin")).toBe("2026-11-20 23:38 CET");
    expect(formatDateTime(new Date("2026-07-01T12:05:00Z"), "Europe/Berlin")).toBe("2026-07-01 14:05 CEST");
    expect(formatDateTime(at, "America/New_York")).toBe("2026-11-20 17:38 GMT-5");
    expect(formatDateTime(new Date("2026-11-20T03:00:00Z"), "Asia/Kolkata")).toBe("2026-11-20 08:30 GMT+5:30");
  });

  it("reads the core's naive timestamps as UTC and ISO strings with a zone as they are", () => {
    expect(toDate("2026-11-20T22:38:00.123456")?.toISOString()).toBe("2026-11-20T22:38:00.123Z");
    expect(formatDateTime("2026-11-20T22:38:00", "Europe/Berlin")).toBe("2026-11-20 23:38 CET");
    expect(formatDateTime("2026-11-20T22:38:00+01:00")).toBe("2026-11-20 21:38 UTC");
  });

  it("shows a dash for nothing, the raw text for what it cannot read, and UTC for an unknown zone", () => {
    expect(formatDateTime(null)).toBe("—");
    expect(formatDateTime(undefined, "UTC", "never")).toBe("never");
    expect(formatDateTime("soon")).toBe("soon");
    expect(formatDateTime(new Date("2026-11-20T22:38:00Z"), "Not/AZone")).toBe("2026-11-20 22:38 UTC");
  });
});
