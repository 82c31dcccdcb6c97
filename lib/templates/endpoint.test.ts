import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { provisionerTargets, templates } from "@/db/schema";
import { handleTemplateRequest } from "./endpoint";
import { ensureEndpointCredentials, saveTemplate, templateEndpointUrl, type EndpointCredentials, type TemplateOwner } from "./templates";
import { createUser } from "@/lib/auth/users";

// No core here: targets are inserted directly and "publishing" sets the served text in the database.
async function insertTarget(): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .insert(provisionerTargets)
    .values({ name: `t-${randomBytes(4).toString("hex")}`, serverUrl: "http://127.0.0.1:1", adminUser: "x", adminPasswordEnc: "v1.x.x.x", domain: "example.test" })
    .returning({ id: provisionerTargets.id });
  return row!.id;
}

async function publishDirectly(owner: TemplateOwner, name: string, text: string, actor: string) {
  await saveTemplate(owner, name, text, actor);
  const db = await getDb();
  await db.update(templates).set({ publishedText: text, publishedAt: new Date() }).where(eq(templates.name, name));
}

function basic(user: string, password: string) {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

function call(owner: TemplateOwner, name: string, authorization?: string, method = "GET") {
  const url = templateEndpointUrl("http://localhost:3000", owner, name);
  const [, , , targetId, scope, scopeId, encodedName] = new URL(url).pathname.split("/");
  return handleTemplateRequest(new Request(url, { method, headers: authorization ? { authorization } : {} }), {
    targetId: targetId!,
    scope: scope!,
    scopeId: scopeId!,
    name: encodedName!,
  });
}

let targetA: number;
let targetB: number;
let credsA: EndpointCredentials;
let credsB: EndpointCredentials;
let listA: TemplateOwner;

beforeAll(async () => {
  const { id: actor } = await createUser({ email: `tpl-${randomBytes(4).toString("hex")}@example.test` });
  targetA = await insertTarget();
  targetB = await insertTarget();
  credsA = await ensureEndpointCredentials(targetA);
  credsB = await ensureEndpointCredentials(targetB);
  listA = { targetId: targetA, scope: "list", scopeId: "team.example.test" };
  await publishDirectly(listA, "list:user:notice:welcome", "Hello $display_name – ünïcode", actor);
  await saveTemplate(listA, "list:member:regular:footer", "saved, never published", actor);
  await publishDirectly({ targetId: targetA, scope: "site", scopeId: "" }, "domain:admin:notice:new-list", "site text", actor);
});

describe("template endpoint", () => {
  it("serves the published text as text/plain to the target's credentials", async () => {
    const response = await call(listA, "list:user:notice:welcome", basic(credsA.username, credsA.password));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await response.text()).toBe("Hello $display_name – ünïcode");
  });

  it("answers 401 with WWW-Authenticate and no text without credentials", async () => {
    const response = await call(listA, "list:user:notice:welcome");
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    expect(await response.text()).toBe("");
  });

  it("answers 401 to a wrong password, a wrong user and another target's credentials", async () => {
    for (const auth of [
      basic(credsA.username, `${credsA.password}x`),
      basic(credsA.username, ""),
      basic("admin", credsA.password),
      basic(credsB.username, credsB.password),
      "Bearer abc",
      "Basic !!!",
    ]) {
      const response = await call(listA, "list:user:notice:welcome", auth);
      expect(response.status, auth).toBe(401);
      expect(await response.text()).toBe("");
    }
  });

  it("answers 401, not 404, for unknown templates and targets without the credentials", async () => {
    expect((await call(listA, "list:bogus")).status).toBe(401);
    expect((await call({ targetId: 999_999, scope: "list", scopeId: "x" }, "list:user:notice:welcome", basic(credsA.username, credsA.password))).status).toBe(401);
  });

  it("answers 404 for unknown or unpublished templates to the right credentials", async () => {
    const auth = basic(credsA.username, credsA.password);
    expect((await call(listA, "list:bogus", auth)).status).toBe(404);
    expect((await call(listA, "list:member:regular:footer", auth)).status).toBe(404);
    expect((await call({ ...listA, scopeId: "other.example.test" }, "list:user:notice:welcome", auth)).status).toBe(404);
    expect((await call(listA, "domain:admin:notice:new-list", auth)).status).toBe(404);
  });

  it("serves site templates under the site segment and answers HEAD without a body", async () => {
    const auth = basic(credsA.username, credsA.password);
    const site = { targetId: targetA, scope: "site" as const, scopeId: "" };
    const response = await call(site, "domain:admin:notice:new-list", auth);
    expect(await response.text()).toBe("site text");
    const head = await call(site, "domain:admin:notice:new-list", auth, "HEAD");
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });

  it("keeps one password per target and stores it encrypted", async () => {
    expect(await ensureEndpointCredentials(targetA)).toEqual(credsA);
    expect(credsA.password).not.toBe(credsB.password);
    expect(credsA.password.length).toBeGreaterThanOrEqual(40);
    const db = await getDb();
    const rows = await db.query.templateEndpointCredentials.findMany();
    expect(JSON.stringify(rows)).not.toContain(credsA.password);
  });
});
