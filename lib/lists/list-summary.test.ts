import { describe, expect, it } from "vitest";
import { parseCoreDate } from "./list-summary";

describe("parseCoreDate", () => {
  it("reads the core's naive datetimes as UTC", () => {
    expect(parseCoreDate("2026-11-20T22:38:37.854341")?.toISOString()).toBe("2026-11-20T22:38:37.854Z");
  });
  it("treats year 1, null and garbage as never", () => {
    expect(parseCoreDate("0001-01-01T00:00:00")).toBeNull();
    expect(parseCoreDate(null)).toBeNull();
    expect(parseCoreDate("yesterday")).toBeNull();
  });
  it("keeps an explicit offset", () => {
    expect(parseCoreDate("2026-01-01T12:00:00+02:00")?.toISOString()).toBe("2026-01-01T10:00:00.000Z");
  });
});
