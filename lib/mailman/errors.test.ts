import { describe, expect, it } from "vitest";
import { classifyTransportError, isMailmanError, MailmanError, MailmanTransportError, type TransportFailure } from "./errors";

const fetchFailed = (code: string) => Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(code), { code }) });

describe("classifyTransportError", () => {
  it.each<[string, unknown, TransportFailure]>([
    ["AbortSignal.timeout()", new DOMException("The operation was aborted due to timeout", "TimeoutError"), "timeout"],
    ["an aborted request", new DOMException("This operation was aborted", "AbortError"), "timeout"],
    ["ECONNREFUSED", fetchFailed("ECONNREFUSED"), "refused"],
    ["ENOTFOUND", fetchFailed("ENOTFOUND"), "dns"],
    ["EAI_AGAIN", fetchFailed("EAI_AGAIN"), "dns"],
    ["UND_ERR_CONNECT_TIMEOUT", fetchFailed("UND_ERR_CONNECT_TIMEOUT"), "timeout"],
    ["ETIMEDOUT", fetchFailed("ETIMEDOUT"), "timeout"],
    ["UND_ERR_HEADERS_TIMEOUT", fetchFailed("UND_ERR_HEADERS_TIMEOUT"), "timeout"],
    ["ECONNRESET", fetchFailed("ECONNRESET"), "reset"],
    ["UND_ERR_SOCKET", fetchFailed("UND_ERR_SOCKET"), "reset"],
    ["EPIPE", fetchFailed("EPIPE"), "reset"],
    ["a self-signed certificate", fetchFailed("DEPTH_ZERO_SELF_SIGNED_CERT"), "tls"],
    ["a host name mismatch", fetchFailed("ERR_TLS_CERT_ALTNAME_INVALID"), "tls"],
    ["plain HTTP on an HTTPS URL", fetchFailed("ERR_SSL_WRONG_VERSION_NUMBER"), "tls"],
    ["another SSL code", fetchFailed("ERR_SSL_PACKET_LENGTH_TOO_LONG"), "tls"],
    ["a code on the error itself", Object.assign(new Error("x"), { code: "ECONNREFUSED" }), "refused"],
    ["an unknown code", fetchFailed("EWHATEVER"), "unknown"],
    ["a plain error", new Error("boom"), "unknown"],
    ["undefined", undefined, "unknown"],
    ["a string", "nope", "unknown"],
  ])("%s", (_label, error, expected) => {
    expect(classifyTransportError(error)).toBe(expected);
  });
});

describe("MailmanError", () => {
  const error = (status: number, title: string, description?: string) =>
    new MailmanError({ status, title, description, method: "POST", path: "/lists" });

  it("carries status, title, description and the request, but no credentials", () => {
    const e = error(400, "400 Bad Request", "Mailing list exists");
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("MailmanError");
    expect(e).toMatchObject({ status: 400, title: "400 Bad Request", description: "Mailing list exists", method: "POST", path: "/lists" });
    expect(e.message).toBe("Mailman POST /lists → 400 Mailing list exists");
    expect(error(404, "404 Not Found").message).toBe("Mailman POST /lists → 404 404 Not Found");
  });

  it("shows the core's description to the user", () => {
    expect(error(400, "400 Bad Request", "Duplicate email host: a.example").userMessage).toBe("Duplicate email host: a.example");
    expect(error(409, "409 Conflict", "Member already subscribed").userMessage).toBe("Member already subscribed");
  });

  it("falls back to the title without its status number", () => {
    expect(error(404, "404 Not Found", "404 Not Found").userMessage).toBe("Not Found");
    expect(error(404, "404 Not Found").userMessage).toBe("Not Found");
    expect(error(400, "Invalid parameter").userMessage).toBe("Invalid parameter");
  });

  it("explains authentication failures in terms of the REST credentials", () => {
    const message = error(401, "401 Unauthorized", "REST API authorization failed").userMessage;
    expect(message).toMatch(/credentials/);
    expect(message).toMatch(/401/);
  });

  it("points at the core's log for server errors", () => {
    expect(error(500, "500 Internal Server Error").userMessage).toMatch(/mailman\.log/);
    expect(error(503, "503", "x").userMessage).toMatch(/internal error/);
  });

  it("is recognised by isMailmanError, optionally by status", () => {
    const e = error(404, "404 Not Found");
    expect(e.isNotFound).toBe(true);
    expect(error(400, "x").isNotFound).toBe(false);
    expect(isMailmanError(e)).toBe(true);
    expect(isMailmanError(e, 404)).toBe(true);
    expect(isMailmanError(e, 400)).toBe(false);
    expect(isMailmanError(new Error("x"))).toBe(false);
    expect(isMailmanError(new MailmanTransportError("refused", "GET", "/"))).toBe(false);
  });
});

describe("MailmanTransportError", () => {
  it("names the method, path and kind", () => {
    const e = new MailmanTransportError("timeout", "GET", "/lists", "after 15000 ms");
    expect(e.name).toBe("MailmanTransportError");
    expect(e.message).toBe("Mailman GET /lists: timeout (after 15000 ms)");
    expect(new MailmanTransportError("refused", "GET", "/lists").message).toBe("Mailman GET /lists: refused");
  });

  it.each<[TransportFailure, RegExp]>([
    ["refused", /Connection refused/],
    ["timeout", /did not answer in time/],
    ["dns", /could not be resolved/],
    ["tls", /TLS/],
    ["reset", /closed by the server/],
    ["invalid_response", /not include \/3\.1/],
    ["unknown", /could not be reached/],
  ])("has a user message for %s", (kind, pattern) => {
    expect(new MailmanTransportError(kind, "GET", "/").userMessage).toMatch(pattern);
  });
});

describe("MailmanError.isTransient", () => {
  const error = (status: number, description?: string) => new MailmanError({ status, title: `${status}`, description, method: "POST", path: "/members" });
  // What Mailman 3.3.8 answered a POST /members while its runners held SQLite's write lock.
  const locked =
    "(raised as a result of Query-invoked autoflush; consider using a session.no_autoflush block if this flush is occurring prematurely)\n(sqlite3.OperationalError) database is locked\n[SQL: INSERT INTO preferences …]";

  it("is true for a 5xx and for the core's 400 on a locked database, which is shown in plain words", () => {
    expect(error(500).isTransient).toBe(true);
    expect(error(503).isTransient).toBe(true);
    expect(error(400, locked).isTransient).toBe(true);
    expect(error(400, locked).userMessage).toBe("The Mailman core was busy (its database was locked) and did nothing. Try again in a moment.");
  });

  it("is false for the core's answers about the request itself", () => {
    expect(error(400, "Invalid email address").isTransient).toBe(false);
    expect(error(409, "Member already subscribed").isTransient).toBe(false);
    expect(error(404).isTransient).toBe(false);
  });
});
