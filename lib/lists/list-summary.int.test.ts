import { afterAll, describe, expect, it } from "vitest";
import { authorizeList } from "@/lib/auth/list-access";
import { withMailmanCallLog } from "@/lib/mailman";
import { createTestDomain, testClient } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { loadListSummary } from "./list-summary";

const client = testClient();
const domains: string[] = [];

afterAll(async () => {
  for (const d of domains) await client.deleteDomain(d).catch(() => {});
});

describe("list summary", () => {
  it("reads info, addresses and dates from the list's configuration in one call", async () => {
    const admin = await makeUser({ superuser: true });
    const domain = await createTestDomain(client);
    domains.push(domain);
    const target = await makeTarget(admin, { domain });
    const listId = await client.createList({ fqdnListname: `summary@${domain}`, styleName: "legacy-default" });
    await client.patchListConfig(listId, { info: "Read **the rules** first." });

    const access = await authorizeList(admin, target.id, listId, "view");
    const { result, calls } = await withMailmanCallLog(() => loadListSummary(access));
    expect(calls).toHaveLength(1);
    expect(result.info).toBe("Read **the rules** first.");
    expect(result.postingAddress).toBe(`summary@${domain}`);
    expect(result.ownerAddress).toBe(`summary-owner@${domain}`);
    expect(result.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(Date.now() - result.createdAt!.getTime())).toBeLessThan(10 * 60_000);
    expect(result.lastPostAt === null || result.lastPostAt instanceof Date).toBe(true);
  });
});
