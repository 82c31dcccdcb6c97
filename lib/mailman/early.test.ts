import { describe, expect, it } from "vitest";
import { MailmanClient } from "./client";
import { EarlyGets } from "./early";
import { MailmanError, MailmanTransportError } from "./errors";
import type { CoreFetch, CoreResponse } from "./transport";

/** A stand-in core: answers from `answers` by path, and notes every request that reached it. */
function standIn(answers: Record<string, { status: number; body?: unknown }> = {}) {
  const seen: string[] = [];
  const transport: CoreFetch = async (url, request) => {
    const path = new URL(url).pathname.replace(/^\/3\.1/, "");
    seen.push(`${request.method} ${path} ${request.headers.authorization}`);
    const answer = answers[path] ?? { status: 404, body: { title: "404 Not Found" } };
    const text = answer.body === undefined ? "" : JSON.stringify(answer.body);
    const response: CoreResponse = {
      status: answer.status,
      headers: { get: (name) => (name === "content-type" ? "application/json" : null) },
      text: async () => text,
      body: { cancel: async () => {} },
    };
    return response;
  };
  return { transport, seen };
}

const LIST = { list_id: "a.example.org", fqdn_listname: "a@example.org", display_name: "A", list_name: "a", mail_host: "example.org", member_count: 3, volume: 1, description: "", advertised: true, self_link: "http://core/3.1/lists/a.example.org", http_etag: '"1"' };
const connection = { baseUrl: "http://core.test", user: "restadmin", password: "secret" };

/** What the proxy does: runs the page's own calls with a client that only sends. */
async function sendAhead(gets: EarlyGets, transport: CoreFetch, calls: (client: MailmanClient) => Promise<unknown>[], credentials = connection) {
  const sender = new MailmanClient({ ...credentials, transport: gets.sender(transport), retries: 0, recordCalls: false });
  const done = Promise.allSettled(calls(sender));
  gets.sendingUntil(done);
  await done;
}

describe("EarlyGets", () => {
  it("sends each GET once, ahead, and hands its answer to the client that asks for it, without a second request", async () => {
    const core = standIn({ "/lists/a.example.org": { status: 200, body: LIST } });
    const gets = new EarlyGets();
    await sendAhead(gets, core.transport, (c) => [c.getList("a.example.org"), c.getList("a.example.org")]);
    expect(core.seen).toHaveLength(1);
    const page = new MailmanClient({ ...connection, transport: gets.taker(core.transport) });
    expect(await page.getList("a.example.org")).toMatchObject({ list_id: "a.example.org", member_count: 3 });
    expect(core.seen).toHaveLength(1);
    // Taken once: asking again is a request of its own.
    await page.getList("a.example.org");
    expect(core.seen).toHaveLength(2);
  });

  it("lets the taker make its own errors of a kept answer: a 404 is the core's 404, a failure the same failure", async () => {
    const core = standIn({});
    const gets = new EarlyGets();
    await sendAhead(gets, core.transport, (c) => [c.getList("gone.example.org"), c.getListConfig("gone.example.org")]);
    const page = new MailmanClient({ ...connection, transport: gets.taker(core.transport), retries: 0 });
    expect(await page.getList("gone.example.org")).toBeNull();
    await expect(page.getListConfig("gone.example.org")).rejects.toBeInstanceOf(MailmanError);
    expect(core.seen).toHaveLength(2);

    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    const down: CoreFetch = async () => {
      throw refused;
    };
    const downGets = new EarlyGets();
    await sendAhead(downGets, down, (c) => [c.getList("a.example.org")]);
    const downPage = new MailmanClient({ ...connection, transport: downGets.taker(core.transport), retries: 0 });
    const error = await downPage.getList("a.example.org").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailmanTransportError);
    expect((error as MailmanTransportError).kind).toBe("refused");
    // The kept failure was the answer: the taker did not ask again.
    expect(core.seen).toHaveLength(2);
  });

  it("hands an answer only to a client asking with the same credentials and URL", async () => {
    const core = standIn({ "/lists/a.example.org": { status: 200, body: LIST } });
    const gets = new EarlyGets();
    await sendAhead(gets, core.transport, (c) => [c.getList("a.example.org")]);
    const otherPassword = new MailmanClient({ ...connection, password: "changed", transport: gets.taker(core.transport) });
    await otherPassword.getList("a.example.org");
    const otherList = new MailmanClient({ ...connection, transport: gets.taker(core.transport) });
    await otherList.getList("b.example.org");
    expect(core.seen).toHaveLength(3);
    expect(gets.size).toBe(1);
  });

  it("never sends anything but a GET ahead", async () => {
    const core = standIn({});
    const gets = new EarlyGets();
    await sendAhead(gets, core.transport, (c) => [c.send("DELETE", "/lists/a.example.org"), c.patchListConfig("a.example.org", { advertised: false })]);
    expect(core.seen).toEqual([]);
    expect(gets.size).toBe(0);
  });

  it("makes the taker wait while the sender is still getting ready, so a GET is not sent twice", async () => {
    const core = standIn({ "/lists/a.example.org": { status: 200, body: LIST } });
    const gets = new EarlyGets();
    let ready!: () => void;
    const sent = new Promise<void>((resolve) => (ready = resolve)).then(() => sendAhead(gets, core.transport, (c) => [c.getList("a.example.org")]));
    gets.sendingUntil(sent);
    const page = new MailmanClient({ ...connection, transport: gets.taker(core.transport) });
    const answer = page.getList("a.example.org");
    ready();
    expect(await answer).toMatchObject({ list_id: "a.example.org" });
    expect(core.seen).toHaveLength(1);
  });

  it("hands over a GET already sent at once, while the sender still waits for something else", async () => {
    const core = standIn({ "/lists/a.example.org": { status: 200, body: LIST } });
    const gets = new EarlyGets();
    await sendAhead(gets, core.transport, (c) => [c.getList("a.example.org")]);
    // The sender now waits for the account before its role look-up: that never comes here.
    gets.sendingUntil(new Promise(() => {}));
    const page = new MailmanClient({ ...connection, transport: gets.taker(core.transport), timeoutMs: 1_000 });
    expect(await page.getList("a.example.org")).toMatchObject({ list_id: "a.example.org" });
    expect(core.seen).toHaveLength(1);
  });

  it("keeps the taker's timeout: an answer that does not come in time is the taker's timeout", async () => {
    const gets = new EarlyGets();
    const never: CoreFetch = () => new Promise<CoreResponse>(() => {});
    await sendAhead(gets, never, (c) => [c.getList("a.example.org")]);
    const page = new MailmanClient({ ...connection, timeoutMs: 50, retries: 0, transport: gets.taker(never) });
    const error = await page.getList("a.example.org").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailmanTransportError);
    expect((error as MailmanTransportError).kind).toBe("timeout");
  });
});
