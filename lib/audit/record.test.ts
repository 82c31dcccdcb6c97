import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { ConflictError } from "@/lib/errors";
import { MailmanError } from "@/lib/mailman/errors";
import { makeUser, unique } from "@/tests/support/factories";
import { auditDoor, auditStep, currentAuditDoor, noteChange, withAuditScope } from "./record";

/**
 * The one audit writer (lib/audit/record.ts) on the test database (PGlite here, PostgreSQL with
 * DATABASE_URL): each door's scope writes the rows its work described, once, at its end; a
 * failure leaves a failed row with the error's plain words; the actor is the door's.
 */

async function rowsAbout(subject: string) {
  const db = await getDb();
  return db.select().from(auditEvents).where(eq(auditEvents.subject, subject)).orderBy(auditEvents.id);
}

describe("withAuditScope", () => {
  it("writes the changes the work described once, when the work ends, with the door's actor", async () => {
    const person = await makeUser();
    const subject = unique("scope-");
    let seenDuringWork = -1;
    const result = await withAuditScope(auditDoor.user(person.id), async () => {
      await noteChange({ action: "ban.add", subject, targetId: null, detail: { email: "a@example.org" } });
      await noteChange({ action: "ban.remove", subject, detail: { email: "b@example.org" } });
      seenDuringWork = (await rowsAbout(subject)).length;
      return "done";
    });
    expect(result).toBe("done");
    expect(seenDuringWork).toBe(0);
    const rows = await rowsAbout(subject);
    expect(rows.map((r) => [r.action, r.actorKind, r.actorUserId, r.outcome, r.listId])).toEqual([
      ["ban.add", "user", person.id, "ok", subject],
      ["ban.remove", "user", person.id, "ok", subject],
    ]);
  });

  it("leaves a failed row with the error's plain message when the work throws, and the error goes on", async () => {
    const person = await makeUser();
    const subject = unique("fail-");
    const refusal = new MailmanError({ status: 400, title: "Bad Request", description: "Address already banned", method: "POST", path: "/lists/x/bans" });
    await expect(
      withAuditScope(auditDoor.apiToken(person.id, "ci"), () => auditStep({ action: "ban.add", subject, detail: { email: "c@example.org" } }, () => Promise.reject(refusal))),
    ).rejects.toBe(refusal);
    const [row, ...more] = await rowsAbout(subject);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ action: "ban.add", outcome: "failed", actorKind: "api_token", actorLabel: "ci", actorUserId: person.id });
    expect(row!.detail).toMatchObject({ email: "c@example.org", error: refusal.userMessage });
  });

  it("writes the door's declared attempt as failed when nothing the work described failed; never twice", async () => {
    const subject = unique("attempt-");
    const attempt = { action: "registry.group" as const, subject, detail: { method: "PATCH" } };
    await expect(
      withAuditScope(auditDoor.scim("Okta"), () => Promise.reject(new ConflictError("That group changed since you read it.")), { attempt }),
    ).rejects.toThrow(ConflictError);
    // A failed step already says it: the attempt is not added again.
    await expect(
      withAuditScope(auditDoor.scim("Okta"), () => auditStep({ action: "registry.group", subject }, () => Promise.reject(new Error("socket hang up"))), { attempt }),
    ).rejects.toThrow("socket hang up");
    // Success: the attempt is not written (the door notes its own row with the result).
    await withAuditScope(auditDoor.scim("Okta"), async () => undefined, { attempt });
    const rows = await rowsAbout(subject);
    expect(rows.map((r) => [r.action, r.outcome, r.actorKind, r.actorLabel, r.detail.error])).toEqual([
      ["registry.group", "failed", "scim", "Okta", "That group changed since you read it."],
      // An unexpected error's text may hold anything: the row says only that the log has it.
      ["registry.group", "failed", "scim", "Okta", "An unexpected error on the server (the server log has details)."],
    ]);
  });

  it("counts a result the door calls a failure (a server action's serverError) as failed", async () => {
    const person = await makeUser();
    const subject = unique("action-");
    const result = await withAuditScope(auditDoor.user(person.id), async () => ({ serverError: { message: "You do not have permission to do that." } }), {
      attempt: { action: "list.delete", subject },
      failureOf: (r) => r.serverError?.message ?? null,
    });
    expect(result.serverError.message).toBe("You do not have permission to do that.");
    expect((await rowsAbout(subject)).map((r) => [r.outcome, r.detail.error])).toEqual([["failed", "You do not have permission to do that."]]);
  });

  it("names each door: the person, an API token, SCIM, the scheduler (for the job's starter), the CLI", async () => {
    const person = await makeUser();
    const subject = unique("doors-");
    const change = { action: "ban.add" as const, subject, onBehalfOf: person.id };
    await withAuditScope(auditDoor.user(person.id), () => noteChange(change));
    await withAuditScope(auditDoor.apiToken(person.id, "deploy"), () => noteChange(change));
    await withAuditScope(auditDoor.scim("Entra"), () => noteChange({ ...change, onBehalfOf: null }));
    await withAuditScope(auditDoor.scheduler("bulk member job"), () => noteChange(change));
    await withAuditScope(auditDoor.cli("lk people add"), () => noteChange({ ...change, onBehalfOf: null }));
    const rows = await rowsAbout(subject);
    expect(rows.map((r) => [r.actorKind, r.actorLabel, r.actorUserId])).toEqual([
      ["user", null, person.id],
      ["api_token", "deploy", person.id],
      ["scim", "Entra", null],
      ["scheduler", "bulk member job", person.id],
      ["cli", "lk people add", null],
    ]);
  });

  it("keeps scopes apart: concurrent operations and a nested door each write their own rows", async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const subject = unique("apart-");
    const slow = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await Promise.all([
      withAuditScope(auditDoor.user(a.id), async () => {
        await slow(20);
        await noteChange({ action: "ban.add", subject, detail: { by: "a" } });
        await withAuditScope(auditDoor.scheduler("remove-everywhere job"), () => noteChange({ action: "ban.remove", subject, detail: { by: "job" } }));
        expect(currentAuditDoor()).toMatchObject({ kind: "user", userId: a.id });
      }),
      withAuditScope(auditDoor.user(b.id), async () => {
        await noteChange({ action: "ban.add", subject, detail: { by: "b" } });
        await slow(40);
      }),
    ]);
    const rows = await rowsAbout(subject);
    expect(rows.map((r) => `${r.detail.by}:${r.actorKind}:${r.actorUserId ?? "-"}`).sort()).toEqual([`a:user:${a.id}`, `b:user:${b.id}`, "job:scheduler:-"].sort());
  });

  it("writes a change noted outside any door at once, as the system, so nothing vanishes", async () => {
    const subject = unique("nodoor-");
    expect(currentAuditDoor()).toBeNull();
    await noteChange({ action: "global-ban.add", subject });
    expect((await rowsAbout(subject)).map((r) => [r.actorKind, r.actorUserId, r.outcome])).toEqual([["system", null, "ok"]]);
  });
});
