import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { checkReadiness, expectedMigrations } from "./health";

describe("readiness", () => {
  it("is ready once every migration this build ships is applied, and says nothing else", async () => {
    // Opening and migrating the database is what readiness waits for; the check itself is quick.
    await getDb();
    const readiness = await checkReadiness();
    expect(readiness).toEqual({ status: "ready", checks: { database: "ok", migrations: { state: "ok", applied: expectedMigrations(), expected: expectedMigrations() } } });
    expect(expectedMigrations()).toBeGreaterThanOrEqual(6);
  });
});
