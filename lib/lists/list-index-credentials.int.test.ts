import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { provisionerTargets } from "@/db/schema";
import { clientForTarget, StoredCredentialsError } from "@/lib/targets/targets";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { loadListIndex } from "./list-index";

describe("a server whose stored password cannot be decrypted", () => {
  it("is reported by name on the index instead of breaking it, and asks for the password again", async () => {
    const admin = await makeUser({ superuser: true });
    const target = await makeTarget(admin);
    const db = await getDb();
    // What a changed LISTKEEPER_SECRET_KEY or a damaged row looks like.
    await db.update(provisionerTargets).set({ adminPasswordEnc: "v1.AAAA.BBBB.CCCC" }).where(eq(provisionerTargets.id, target.id));

    await expect(clientForTarget(target.id)).rejects.toBeInstanceOf(StoredCredentialsError);
    const index = await loadListIndex(admin, { page: 1, pageSize: 25 });
    const problem = index.unreachable.find((u) => u.targetId === target.id);
    expect(problem?.message).toMatch(/cannot be decrypted.*Re-enter/);
    await db.delete(provisionerTargets).where(eq(provisionerTargets.id, target.id));
  });
});
