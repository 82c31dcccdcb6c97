import { createServer } from "node:http";
import net, { type AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditEvents, provisionerTargets } from "@/db/schema";
import { auditDoor, withAuditScope } from "@/lib/audit";
import type { Viewer } from "@/lib/auth/users";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { testClient, testCore } from "@/tests/support/core";
import { makeTarget, makeUser, unique } from "@/tests/support/factories";
import { createTarget, deleteTarget, getTarget, listTargets, testTargetConnection, updateTarget, type TargetSummary } from "./targets";

let superuser: Viewer;

beforeAll(async () => {
  superuser = await makeUser({ superuser: true });
});

function newTargetInput(overrides: Partial<{ name: string; adminPassword: string; domain: string; serverUrl: string }> = {}) {
  const core = testCore();
  return {
    name: overrides.name ?? unique("server-"),
    serverUrl: overrides.serverUrl ?? core.restUrl,
    adminUser: core.user,
    adminPassword: overrides.adminPassword ?? core.password,
    domain: overrides.domain ?? `${unique("d")}.example.test`,
  };
}

/** Everything the edit form sends back for a saved target, with the password left empty. */
function editInput(target: TargetSummary) {
  const { lastVerifiedAt: _l, updatedAt: _u, ...fields } = target;
  return { ...fields, adminPassword: "" };
}

async function storedRow(id: number) {
  const db = await getDb();
  const [row] = await db.select().from(provisionerTargets).where(eq(provisionerTargets.id, id));
  return row;
}

async function rowsNamed(name: string) {
  const db = await getDb();
  return db.select().from(provisionerTargets).where(eq(provisionerTargets.name, name));
}

async function auditRows(action: string, subject: string) {
  const db = await getDb();
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.subject, subject)));
}

/** A loopback port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const aadOf = (id: number) => `provisioner_targets:${id}:admin_password`;

describe("createTarget", () => {
  it("refuses wrong credentials with a message about them and saves nothing", async () => {
    const input = newTargetInput({ adminPassword: "not-the-password" });
    const error = await withAuditScope(auditDoor.user(superuser.id), () => createTarget(input)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).message).toMatch(/credentials/);
    expect((error as InvalidInputError).message).toMatch(/^Not saved/);
    expect(await rowsNamed(input.name)).toEqual([]);
    expect(await testClient().getDomain(input.domain)).toBeNull();
    // Nothing saved, but the refused attempt is in the audit log, with the server's words.
    const audit = await auditRows("target.create", input.name);
    expect(audit.map((a) => [a.outcome, a.actorUserId, a.targetId, a.detail.error])).toEqual([["failed", superuser.id, null, (error as Error).message]]);
    expect(JSON.stringify(audit)).not.toContain(input.adminPassword);
  });

  it("refuses an unreachable core and saves nothing", async () => {
    const input = newTargetInput({ serverUrl: `http://127.0.0.1:${await closedPort()}` });
    await expect(createTarget(input)).rejects.toThrow(/refused/);
    expect(await rowsNamed(input.name)).toEqual([]);
  });

  it("saves a working target, creates its domain in the core and stores the password encrypted", async () => {
    const input = newTargetInput({ domain: `${unique("New")}.Example.TEST` });
    const target = await withAuditScope(auditDoor.user(superuser.id), () => createTarget(input));

    expect(target).toMatchObject({ name: input.name, domain: input.domain.toLowerCase(), adminUser: input.adminUser });
    expect(target.lastVerifiedAt).toBeInstanceOf(Date);
    expect(await testClient().getDomain(input.domain.toLowerCase())).toMatchObject({ mail_host: input.domain.toLowerCase() });

    const row = await storedRow(target.id);
    expect(row?.adminPasswordEnc).toBeDefined();
    expect(row!.adminPasswordEnc).not.toBe(input.adminPassword);
    expect(row!.adminPasswordEnc).not.toContain(input.adminPassword);
    expect(row!.adminPasswordEnc.startsWith("v1.")).toBe(true);
    expect(decryptSecret(row!.adminPasswordEnc, aadOf(target.id))).toBe(input.adminPassword);
    // Bound to its row: the same ciphertext does not open as another target's password.
    expect(() => decryptSecret(row!.adminPasswordEnc, aadOf(target.id + 1))).toThrow();

    const [audit] = await auditRows("target.create", input.name);
    expect(audit).toMatchObject({ actorUserId: superuser.id, targetId: target.id, detail: { domainCreated: true } });
    expect(JSON.stringify(audit)).not.toContain(input.adminPassword);
  });

  it("keeps an existing domain and says so in the audit log", async () => {
    const domain = `${unique("pre")}.example.test`;
    await testClient().createDomain({ mailHost: domain, description: "made by hand" });
    const target = await createTarget(newTargetInput({ domain }));
    expect((await testClient().getDomain(domain))?.description).toBe("made by hand");
    const [audit] = await auditRows("target.create", target.name);
    expect(audit?.detail).toMatchObject({ domainCreated: false });
  });

  it("refuses a second target with the same name, whatever its case", async () => {
    const first = await makeTarget(superuser);
    await expect(createTarget(newTargetInput({ name: first.name.toUpperCase() }))).rejects.toBeInstanceOf(ConflictError);
  });

  it("rejects invalid input before calling the core", async () => {
    await expect(createTarget(newTargetInput({ domain: "bad domain" }))).rejects.toThrow(/spaces/);
  });
});

describe("listTargets and getTarget", () => {
  it("never include the password, encrypted or not", async () => {
    const target = await makeTarget(superuser);
    const all = await listTargets();
    const listed = all.find((t) => t.id === target.id);
    expect(listed).toBeDefined();
    for (const t of all) {
      expect(Object.keys(t).filter((k) => /password/i.test(k))).toEqual([]);
      expect(JSON.stringify(t)).not.toContain(testCore().password);
      expect(JSON.stringify(t)).not.toMatch(/"v1\./);
    }
    const one = await getTarget(target.id);
    expect(Object.keys(one).filter((k) => /password/i.test(k))).toEqual([]);
    expect(one).toEqual(listed);
  });

  it("report a target that does not exist as not found", async () => {
    await expect(getTarget(999_999)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("updateTarget", () => {
  it("keeps the stored password when the field is left empty", async () => {
    const target = await makeTarget(superuser);
    const before = (await storedRow(target.id))!.adminPasswordEnc;
    const updated = await withAuditScope(auditDoor.user(superuser.id), () =>
      updateTarget({ ...editInput(target), id: target.id, description: "Updated without the password", welcomeMessage: "list_default", quietUnsubscribe: false }),
    );
    expect(updated).toMatchObject({ description: "Updated without the password", welcomeMessage: "list_default", quietUnsubscribe: false });
    expect((await storedRow(target.id))!.adminPasswordEnc).toBe(before);
    // The stored password still works.
    const report = await testTargetConnection({ id: target.id, serverUrl: target.serverUrl, adminUser: target.adminUser, adminPassword: "" });
    expect(report).toMatchObject({ ok: true, apiVersion: "3.1" });
    const [audit] = await auditRows("target.update", target.name);
    expect(audit).toMatchObject({ actorUserId: superuser.id, targetId: target.id, detail: { passwordChanged: false } });
  });

  it("refuses a new REST URL or admin user unless the password is retyped", async () => {
    const target = await makeTarget(superuser);
    const elsewhere = `http://127.0.0.1:${await closedPort()}`;
    const moved = updateTarget({ ...editInput(target), id: target.id, serverUrl: elsewhere });
    await expect(moved).rejects.toBeInstanceOf(InvalidInputError);
    await expect(moved).rejects.toMatchObject({ field: "adminPassword", message: expect.stringMatching(/Retype the admin password/) });
    await expect(updateTarget({ ...editInput(target), id: target.id, adminUser: "someone-else" })).rejects.toThrow(/Retype/);
    expect((await getTarget(target.id)).serverUrl).toBe(target.serverUrl);
  });

  it("re-encrypts a retyped password and refuses a wrong one, keeping the old", async () => {
    const target = await makeTarget(superuser);
    const before = (await storedRow(target.id))!.adminPasswordEnc;
    await expect(updateTarget({ ...editInput(target), id: target.id, adminPassword: "wrong" })).rejects.toThrow(/credentials/);
    expect((await storedRow(target.id))!.adminPasswordEnc).toBe(before);

    await updateTarget({ ...editInput(target), id: target.id, adminPassword: testCore().password });
    const after = (await storedRow(target.id))!.adminPasswordEnc;
    expect(after).not.toBe(before);
    expect(decryptSecret(after, aadOf(target.id))).toBe(testCore().password);
  });

  it("creates a new list domain in the core", async () => {
    const target = await makeTarget(superuser);
    const domain = `${unique("moved")}.example.test`;
    await updateTarget({ ...editInput(target), id: target.id, domain });
    expect(await testClient().getDomain(domain)).not.toBeNull();
    expect((await getTarget(target.id)).domain).toBe(domain);
  });
});

describe("testTargetConnection", () => {
  it("explains a closed port as a refused connection", async () => {
    const report = await testTargetConnection({ serverUrl: `http://127.0.0.1:${await closedPort()}`, adminUser: "restadmin", adminPassword: "x" });
    expect(report.ok).toBe(false);
    expect(report.message).toMatch(/refused/i);
  });

  it("explains wrong credentials", async () => {
    const core = testCore();
    const report = await testTargetConnection({ serverUrl: core.restUrl, adminUser: core.user, adminPassword: "wrong" });
    expect(report).toMatchObject({ ok: false, message: expect.stringMatching(/credentials/) });
  });

  it("reports the Mailman version and whether the domain exists", async () => {
    const core = testCore();
    const missing = `${unique("nope")}.example.test`;
    const report = await testTargetConnection({ serverUrl: core.restUrl, adminUser: core.user, adminPassword: core.password, domain: missing });
    expect(report).toMatchObject({ ok: true, apiVersion: "3.1", domainExists: false });
    expect(report.message).toContain(report.mailmanVersion);
  });

  it("probes http(s) URLs only, follows no redirect and tells nothing of what answered but its class", async () => {
    // Something on this machine that is not a Mailman core: it talks JSON with secrets in it.
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? "");
      if (req.url?.startsWith("/redirect/")) {
        res.writeHead(302, { location: `${testCore().restUrl}/3.1/system/versions` }).end();
        return;
      }
      if (req.url?.startsWith("/json/")) {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok", secret: "XYZ" }));
        return;
      }
      const status = req.url?.startsWith("/forbidden/") ? 403 : req.url?.startsWith("/broken/") ? 500 : 404;
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ title: "internal-title-XYZ", description: "secret internal data XYZ" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const core = testCore();
      for (const prefix of ["/missing", "/forbidden", "/broken", "/redirect", "/json"]) {
        const report = await testTargetConnection({ serverUrl: `${base}${prefix}`, adminUser: core.user, adminPassword: core.password });
        expect(report.ok, prefix).toBe(false);
        expect(report.message, prefix).not.toMatch(/XYZ|secret|internal-title/);
      }
      expect((await testTargetConnection({ serverUrl: `${base}/missing`, adminUser: "u", adminPassword: "p" })).message).toMatch(/No Mailman REST API answers at this URL \(HTTP 404\)/);
      // JSON of another shape from a URL being probed is another service, not Listkeeper's bug.
      expect((await testTargetConnection({ serverUrl: `${base}/json`, adminUser: "u", adminPassword: "p" })).message).toBe(
        "The server answered, but not like a Mailman 3 REST API. Check the URL (it should not include /3.1).",
      );
      // The redirect to the real core was not followed: the core's version never showed up.
      expect((await testTargetConnection({ serverUrl: `${base}/redirect`, adminUser: core.user, adminPassword: core.password })).message).toMatch(/redirect/);
      expect(hits.every((h) => !h.includes("//"))).toBe(true);
    } finally {
      server.close();
    }
    for (const serverUrl of ["file:///etc/passwd", "ftp://127.0.0.1/", "data:application/json,{}", "gopher://127.0.0.1:70/"]) {
      await expect(testTargetConnection({ serverUrl, adminUser: "u", adminPassword: "p" }), serverUrl).rejects.toBeInstanceOf(InvalidInputError);
    }
  });

  it("updates the last-verified time of a saved target", async () => {
    const target = await makeTarget(superuser);
    const db = await getDb();
    await db.update(provisionerTargets).set({ lastVerifiedAt: null }).where(eq(provisionerTargets.id, target.id));
    await testTargetConnection({ id: target.id, serverUrl: target.serverUrl, adminUser: target.adminUser, adminPassword: "" });
    expect((await getTarget(target.id)).lastVerifiedAt).toBeInstanceOf(Date);
  });

  it("does not send the stored password to another URL", async () => {
    const target = await makeTarget(superuser);
    await expect(
      testTargetConnection({ id: target.id, serverUrl: `http://127.0.0.1:${await closedPort()}`, adminUser: target.adminUser, adminPassword: "" }),
    ).rejects.toThrow(/Retype/);
  });
});

describe("deleteTarget", () => {
  it("needs the server's name typed exactly, then forgets the target but leaves the core alone", async () => {
    const target = await makeTarget(superuser);
    const wrong = deleteTarget(target.id, `${target.name}x`);
    await expect(wrong).rejects.toBeInstanceOf(InvalidInputError);
    await expect(wrong).rejects.toMatchObject({ field: "confirm" });
    expect(await getTarget(target.id)).toMatchObject({ id: target.id });

    await withAuditScope(auditDoor.user(superuser.id), () => deleteTarget(target.id, ` ${target.name} `));
    await expect(getTarget(target.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await storedRow(target.id)).toBeUndefined();
    expect(await testClient().getDomain(target.domain)).not.toBeNull();

    const [audit] = await auditRows("target.delete", target.name);
    expect(audit).toMatchObject({ actorUserId: superuser.id, targetId: null, detail: { id: target.id } });
  });

  it("reports an unknown target as not found", async () => {
    await expect(deleteTarget(999_999, "anything")).rejects.toBeInstanceOf(NotFoundError);
  });
});
