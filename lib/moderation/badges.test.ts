import { describe, expect, it } from "vitest";
import type { MailmanClient } from "@/lib/mailman";
import { BADGE_TTL_MS, forgetBadgeCounts, loadBadgeCounts, peekBadgeCounts } from "./badges";

/** A stand-in for the core's two count endpoints that counts how often it was asked. */
function fakeCore(held: number, requests: number) {
  const asked: string[] = [];
  const client = {
    async get(path: string) {
      asked.push(path);
      return { count: path.includes("/held/") ? held : requests };
    },
  } as unknown as MailmanClient;
  return { client, asked };
}

describe("list badge counts", () => {
  it("asks the core twice, then reuses the counts until they are older than the TTL", async () => {
    const { client, asked } = fakeCore(3, 1);
    expect(await loadBadgeCounts(client, 1, "a.example", 1_000)).toEqual({ held: 3, requests: 1 });
    expect(asked).toHaveLength(2);
    expect(await loadBadgeCounts(client, 1, "a.example", 1_000 + BADGE_TTL_MS - 1)).toEqual({ held: 3, requests: 1 });
    expect(asked).toHaveLength(2);
    await loadBadgeCounts(client, 1, "a.example", 1_000 + BADGE_TTL_MS);
    expect(asked).toHaveLength(4);
  });

  it("counts again at once after Listkeeper's own moderation forgot them", async () => {
    const { client, asked } = fakeCore(2, 0);
    await loadBadgeCounts(client, 1, "b.example", 5_000);
    forgetBadgeCounts(1, "b.example");
    expect(peekBadgeCounts(1, "b.example", 5_001)).toBeNull();
    await loadBadgeCounts(client, 1, "b.example", 5_001);
    expect(asked).toHaveLength(4);
  });

  it("keeps lists and targets apart, and peeks only at counts that have arrived and are fresh", async () => {
    const { client } = fakeCore(7, 4);
    expect(peekBadgeCounts(2, "c.example", 10_000)).toBeNull();
    const pending = loadBadgeCounts(client, 2, "c.example", 10_000);
    expect(peekBadgeCounts(2, "c.example", 10_000)).toBeNull();
    await pending;
    expect(peekBadgeCounts(2, "c.example", 10_001)).toEqual({ held: 7, requests: 4 });
    expect(peekBadgeCounts(3, "c.example", 10_001)).toBeNull();
    expect(peekBadgeCounts(2, "c.example", 10_000 + BADGE_TTL_MS)).toBeNull();
  });

  it("does not remember a failure", async () => {
    let fail = true;
    const client = {
      async get() {
        if (fail) throw new Error("core down");
        return { count: 1 };
      },
    } as unknown as MailmanClient;
    await expect(loadBadgeCounts(client, 4, "d.example", 1)).rejects.toThrow("core down");
    fail = false;
    expect(await loadBadgeCounts(client, 4, "d.example", 2)).toEqual({ held: 1, requests: 1 });
  });
});
