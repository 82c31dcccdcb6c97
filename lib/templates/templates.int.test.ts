import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Viewer } from "@/lib/auth/users";
import type { MailmanClient } from "@/lib/mailman";
import { getTemplateUri, getTemplateUris } from "@/lib/mailman/templates";
import { clientForTarget, type TargetSummary } from "@/lib/targets/targets";
import { testCore, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { waitForMail } from "@/scripts/lib/local-core";
import { handleTemplateRequest } from "./endpoint";
import {
  ensureEndpointCredentials,
  listTemplateVariables,
  publishTemplate,
  resetTemplate,
  restoreRevision,
  saveTemplate,
  templateHistory,
  templateOverview,
  type TemplateOwner,
} from "./templates";
import { renderTemplate } from "./render";

const WELCOME = "list:user:notice:welcome";
const FOOTER = "list:member:regular:footer";

/** Listkeeper's template endpoint as the core sees it: the route's own handler behind node:http. */
async function startEndpoint(): Promise<{ server: Server; baseUrl: string; hits: { status: number; authorized: boolean }[] }> {
  const hits: { status: number; authorized: boolean }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const parts = url.pathname.split("/");
      const [, api, templates, targetId = "", scope = "", scopeId = "", name = ""] = parts;
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(key, value);
      const request = new Request(url, { method: req.method, headers });
      const response =
        api === "api" && templates === "templates" && parts.length === 7
          ? await handleTemplateRequest(request, { targetId, scope, scopeId, name })
          : new Response(null, { status: 404 });
      hits.push({ status: response.status, authorized: Boolean(req.headers.authorization) });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, baseUrl: `http://127.0.0.1:${port}`, hits };
}

let superuser: Viewer;
let target: TargetSummary;
let client: MailmanClient;
let listId: string;
let owner: TemplateOwner;
let endpoint: Awaited<ReturnType<typeof startEndpoint>>;

beforeAll(async () => {
  superuser = await makeUser({ superuser: true });
  target = await makeTarget(superuser);
  ({ client } = await clientForTarget(target.id));
  listId = await client.createList({ fqdnListname: `${uniqueName("tpl")}@${target.domain}` });
  owner = { targetId: target.id, scope: "list", scopeId: listId };
  endpoint = await startEndpoint();
});

afterAll(async () => {
  // A URI left pointing at the closed test server would stall the core's deliveries (Q-5).
  for (const name of [WELCOME, FOOTER]) await resetTemplate(client, owner, name).catch(() => {});
  await client.deleteList(listId).catch(() => {});
  await new Promise((resolve) => endpoint?.server.close(resolve));
});

describe("templates against a real core", () => {
  it("keeps the history of a text and restores an earlier version", async () => {
    await saveTemplate(owner, WELCOME, "First welcome to $display_name", superuser.id);
    await saveTemplate(owner, WELCOME, "Second welcome", superuser.id);
    // Saving the same text again is not a change.
    await saveTemplate(owner, WELCOME, "Second welcome", superuser.id);
    let history = await templateHistory(owner, WELCOME);
    expect(history.map((r) => [r.action, r.text, r.previousText])).toEqual([
      ["save", "Second welcome", "First welcome to $display_name"],
      ["save", "First welcome to $display_name", null],
    ]);
    expect(history[0]!.actor).toBe(superuser.verifiedEmails[0]);

    await restoreRevision(owner, WELCOME, history[1]!.id, superuser.id);
    history = await templateHistory(owner, WELCOME);
    expect(history[0]).toMatchObject({ action: "restore", text: "First welcome to $display_name", previousText: "Second welcome" });
  });

  it("previews with the list's own variables", async () => {
    const variables = await listTemplateVariables(client, listId);
    expect(variables).toMatchObject({ list_id: listId, listname: listId.replace(`.${target.domain}`, `@${target.domain}`), domain: target.domain, language: "en" });
    expect(renderTemplate("$listname / ${request_email} / $member", variables)).toBe(
      `${variables.listname} / ${variables.listname!.replace("@", "-request@")} / $member`,
    );
  });

  it("publishes with credentials the core keeps to itself, and the core delivers the custom texts", async () => {
    const core = testCore();
    expect(core.maildir, "this test needs the SMTP sink of the test core").not.toBe("");
    const marker = uniqueName("w");
    await saveTemplate(owner, WELCOME, `Custom welcome ${marker} to $display_name ($listname).`, superuser.id);
    await saveTemplate(owner, FOOTER, `-- \nCustom footer ${marker} for $short_listname`, superuser.id);
    const published = await publishTemplate(client, owner, WELCOME, superuser.id, { baseUrl: endpoint.baseUrl });
    expect(published.warning).toBeNull();
    expect(published.uri).toBe(`${endpoint.baseUrl}/api/templates/${target.id}/list/${encodeURIComponent(listId)}/${encodeURIComponent(WELCOME)}`);
    await publishTemplate(client, owner, FOOTER, superuser.id, { baseUrl: endpoint.baseUrl });

    // The core stores the credentials; our layer reports only that it has some (Q-17).
    const uris = await getTemplateUris(client, { scope: "list", listId });
    expect(uris.find((u) => u.name === WELCOME)).toEqual({ name: WELCOME, uri: published.uri, hasCredentials: true });
    const credentials = await ensureEndpointCredentials(target.id);
    expect(JSON.stringify(uris)).not.toContain(credentials.password);

    const overview = await templateOverview(client, owner);
    const welcomeState = overview.templates.find((t) => t.info.name === WELCOME)!;
    expect(welcomeState.core).toEqual({ kind: "listkeeper", uri: published.uri });
    expect(welcomeState.publishedText).toContain(marker);

    // A later save does not go live before it is published.
    await saveTemplate(owner, WELCOME, "unpublished draft", superuser.id);

    const address = `${marker}@people.example.test`;
    const subscribed = await client.subscribe({ listId, subscriber: address, preVerified: true, preConfirmed: true, preApproved: true, sendWelcomeMessage: true });
    expect(subscribed.kind).toBe("subscribed");
    const welcome = await waitForMail(core.maildir, (m) => m.to.includes(address) && m.body.includes(`Custom welcome ${marker}`), 30_000);
    expect(welcome.body).toContain(`Custom welcome ${marker} to `);
    expect(welcome.body).not.toContain("unpublished draft");

    const messageId = `<${marker}@people.example.test>`;
    const [listPart, domainPart] = [listId.slice(0, listId.length - target.domain.length - 1), target.domain];
    const text = [
      `From: ${address}`,
      `To: ${listPart}@${domainPart}`,
      `Subject: Footer check ${marker}`,
      `Message-ID: ${messageId}`,
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "",
      `Body of ${marker}.`,
      "",
    ].join("\n");
    await client.request("POST", "/queues/in", { body: { list_id: listId, text } });
    const post = await waitForMail(core.maildir, (m) => m.to.includes(address) && m.subject.includes(`Footer check ${marker}`), 30_000);
    expect(post.body).toContain(`Body of ${marker}.`);
    expect(post.body).toContain(`Custom footer ${marker} for ${listPart}`);

    // The core fetched with credentials and was answered; nothing was served without them.
    expect(endpoint.hits.some((h) => h.status === 200 && h.authorized)).toBe(true);
    expect(endpoint.hits.every((h) => h.authorized || h.status === 401)).toBe(true);
  });

  it("answers 401 over HTTP without the target's credentials", async () => {
    const url = `${endpoint.baseUrl}/api/templates/${target.id}/list/${encodeURIComponent(listId)}/${encodeURIComponent(FOOTER)}`;
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Basic /);
    expect(await anonymous.text()).toBe("");
    const wrong = await fetch(url, { headers: { authorization: `Basic ${Buffer.from(`listkeeper-${target.id}:guess`).toString("base64")}` } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toBe("");
  });

  it("resets to the built-in default by removing the URI", async () => {
    await resetTemplate(client, owner, WELCOME);
    expect(await getTemplateUri(client, { scope: "list", listId }, WELCOME)).toBeNull();
    const overview = await templateOverview(client, owner);
    const state = overview.templates.find((t) => t.info.name === WELCOME)!;
    expect(state.core).toEqual({ kind: "none" });
    expect(state.publishedText).toBeNull();
    // The saved text and its history stay.
    expect(state.text).toBe("unpublished draft");
    // Resetting what is not set is not an error.
    await resetTemplate(client, owner, WELCOME);
  });

  it("refuses names the level does not know, and publishing without a text", async () => {
    await expect(saveTemplate(owner, "domain:admin:notice:new-list", "x", superuser.id)).rejects.toThrow(/not a list template/);
    await expect(saveTemplate(owner, "list:bogus", "x", superuser.id)).rejects.toThrow(/not a list template/);
    await expect(publishTemplate(client, owner, "list:user:notice:goodbye", superuser.id, { baseUrl: endpoint.baseUrl })).rejects.toThrow(/Save a text/);
  });

  it("publishes domain and site templates at their own level", async () => {
    const domainOwner: TemplateOwner = { targetId: target.id, scope: "domain", scopeId: target.domain };
    await saveTemplate(domainOwner, "domain:admin:notice:new-list", "New list $listname", superuser.id);
    await publishTemplate(client, domainOwner, "domain:admin:notice:new-list", superuser.id, { baseUrl: endpoint.baseUrl, selfCheck: false });
    try {
      const uri = await getTemplateUri(client, { scope: "domain", mailHost: target.domain }, "domain:admin:notice:new-list");
      expect(uri).toContain(`/api/templates/${target.id}/domain/${target.domain}/`);
    } finally {
      await resetTemplate(client, domainOwner, "domain:admin:notice:new-list");
    }
    expect(await getTemplateUri(client, { scope: "domain", mailHost: target.domain }, "domain:admin:notice:new-list")).toBeNull();
  });
});
