import { afterEach, describe, expect, it, vi } from "vitest";
import { MailmanError, MailmanSchemaError, MailmanTransportError } from "./errors";
import { buildQuery, MailmanHttp, normaliseBaseUrl } from "./http";
import { withMailmanCallLog } from "./instrumentation";
import type { CoreFetch } from "./transport";

describe("buildQuery", () => {
  it("is empty without parameters", () => {
    expect(buildQuery(undefined)).toBe("");
    expect(buildQuery({})).toBe("");
    expect(buildQuery({ a: undefined, b: null })).toBe("");
  });

  it("drops undefined and null but keeps falsy values", () => {
    expect(buildQuery({ a: undefined, b: null, c: 0, d: false, e: "" })).toBe("?c=0&d=false&e=");
  });

  it("repeats the key for each array element (fields projection needs repeated keys)", () => {
    expect(buildQuery({ fields: ["email", "role"], count: 10, page: 2 })).toBe("?fields=email&fields=role&count=10&page=2");
    expect(buildQuery({ fields: [] })).toBe("");
  });

  it("encodes values", () => {
    const query = buildQuery({ subscriber: "*a+b@x.example*", list_id: "a b" });
    expect(new URLSearchParams(query.slice(1)).get("subscriber")).toBe("*a+b@x.example*");
    expect(new URLSearchParams(query.slice(1)).get("list_id")).toBe("a b");
    expect(query).not.toContain("+b@");
  });
});

describe("normaliseBaseUrl", () => {
  it.each([
    ["http://127.0.0.1:8001", "http://127.0.0.1:8001"],
    ["http://127.0.0.1:8001/", "http://127.0.0.1:8001"],
    ["http://127.0.0.1:8001///", "http://127.0.0.1:8001"],
    ["http://127.0.0.1:8001/3.1", "http://127.0.0.1:8001"],
    ["http://127.0.0.1:8001/3.1/", "http://127.0.0.1:8001"],
    ["http://127.0.0.1:8001/3.0", "http://127.0.0.1:8001"],
    ["  https://mail.example.org/mailman/  ", "https://mail.example.org/mailman"],
    ["https://mail.example.org/mailman/3.1", "https://mail.example.org/mailman"],
  ])("%s → %s", (input, expected) => {
    expect(normaliseBaseUrl(input)).toBe(expected);
  });

  it("keeps a path that merely ends in a version-like segment of another name", () => {
    expect(normaliseBaseUrl("http://h/api3.1")).toBe("http://h/api3.1");
  });
});

// MailmanHttp with a stand-in transport that answers fetch's Responses: response handling only, no network.
describe("MailmanHttp", () => {
  let transport: CoreFetch | undefined;
  afterEach(() => {
    transport = undefined;
  });

  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

  function stubFetch(...responses: (Response | Error)[]) {
    const fetchMock = vi.fn(async () => {
      const next = responses.shift();
      if (!next) throw new Error("unexpected extra request");
      if (next instanceof Error) throw next;
      return next;
    });
    transport = fetchMock;
    return fetchMock;
  }

  const http = (retries = 0) => new MailmanHttp({ baseUrl: "http://core.test:8001/3.1/", user: "u", password: "p", retries, transport });

  it("sends Basic auth, JSON bodies and the query to /3.1", async () => {
    const fetchMock = stubFetch(new Response(null, { status: 201, headers: { location: "http://core.test:8001/3.1/domains/x" } }));
    const result = await http().request("POST", "/domains", { body: { mail_host: "x" }, query: { a: 1 } });
    expect(result).toEqual({ status: 201, location: "http://core.test:8001/3.1/domains/x" });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("http://core.test:8001/3.1/domains?a=1");
    const headers = init.headers as Record<string, string>;
    expect(headers.authorization).toBe(`Basic ${Buffer.from("u:p").toString("base64")}`);
    expect(headers["content-type"]).toBe("application/json");
    expect(init.body).toBe('{"mail_host":"x"}');
  });

  it("turns the core's error body into a MailmanError", async () => {
    stubFetch(json(400, { title: "400 Bad Request", description: "Duplicate email host: x" }));
    const error = await http().request("POST", "/domains", { body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailmanError);
    expect(error).toMatchObject({ status: 400, title: "400 Bad Request", description: "Duplicate email host: x", method: "POST", path: "/domains" });
  });

  it("reports a 404 without description (unrouted URL, Q-15)", async () => {
    stubFetch(json(404, { title: "404 Not Found" }));
    const error = await http().request("GET", "/lists/x/roster/bogus").catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, description: undefined, isNotFound: true });
  });

  it("rejects a 4xx that is not the core's error shape as an invalid response", async () => {
    stubFetch(new Response("<html>nope</html>", { status: 403, headers: { "content-type": "text/html" } }));
    const error = await http().request("GET", "/system/versions").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailmanTransportError);
    expect(error).toMatchObject({ kind: "invalid_response" });
  });

  it("validates 200 bodies with the schema", async () => {
    const { z } = await import("zod");
    stubFetch(json(200, { hello: 1 }));
    const error = await http().request("GET", "/system/versions", { schema: z.object({ mailman_version: z.string() }) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "invalid_response" });
  });

  it("calls a 200 that misses the schema Listkeeper's bug, with a reference, and does not retry it", async () => {
    const { z } = await import("zod");
    const fetchMock = stubFetch(json(200, { entries: [{ reasons: [["a", "b"]] }] }));
    const error = await http().request("GET", "/lists/x/held", { schema: z.object({ entries: z.array(z.object({ reasons: z.array(z.string()) })) }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailmanSchemaError);
    const schemaError = error as MailmanSchemaError;
    expect(schemaError.reference).toMatch(/^[0-9a-f]{8}$/);
    expect(schemaError.userMessage).toBe(`Mailman answered something Listkeeper did not expect (reference ${schemaError.reference}). The server log has the details.`);
    expect(schemaError.userMessage).not.toMatch(/Check the URL/);
    expect(schemaError.issues[0]?.path).toEqual(["entries", 0, "reasons", 0]);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("returns 202 bodies (pending workflow tokens)", async () => {
    stubFetch(json(202, { token: "t", token_owner: "moderator" }));
    await expect(http().request("POST", "/members", { body: {} })).resolves.toEqual({ status: 202, data: { token: "t", token_owner: "moderator" } });
  });

  it("retries idempotent calls after 5xx and transport errors, and records every attempt", async () => {
    const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    const fetchMock = stubFetch(json(500, { title: "500 Internal Server Error" }), refused, json(200, { ok: true }));
    const { result, calls } = await withMailmanCallLog(() => http(2).request("GET", "/lists"));
    expect(result).toEqual({ status: 200, data: { ok: true } });
    expect(fetchMock).toHaveBeenCalledTimes(3);
    expect(calls.map((c) => c.status)).toEqual([500, "transport-error", 200]);
  });

  it("does not retry 4xx answers", async () => {
    const fetchMock = stubFetch(json(401, { title: "401 Unauthorized", description: "REST API authorization failed" }));
    await expect(http(2).request("GET", "/lists")).rejects.toMatchObject({ status: 401 });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("never retries a POST", async () => {
    const fetchMock = stubFetch(json(500, { title: "500 Internal Server Error" }));
    await expect(http(2).request("POST", "/lists", { body: {} })).rejects.toMatchObject({ status: 500 });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("classifies a failure while reading the body (a timeout after the headers arrived)", async () => {
    const body = new ReadableStream({
      start(controller) {
        controller.error(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
      },
    });
    stubFetch(new Response(body, { status: 200, headers: { "content-type": "application/json" } }));
    await expect(http().request("GET", "/lists")).rejects.toMatchObject({ name: "MailmanTransportError", kind: "timeout" });
  });

  it("classifies a refused connection", async () => {
    stubFetch(Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }));
    await expect(http().request("GET", "/lists")).rejects.toMatchObject({ name: "MailmanTransportError", kind: "refused" });
  });
});
