import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./unavailable";

// As drizzle wraps what pg throws: the failed query, its parameters and the cause.
const wrapped = (cause: unknown) => Object.assign(new Error("Failed query: update bulk_job_items …"), { query: "update bulk_job_items …", params: [], cause });

describe("isDatabaseUnavailable", () => {
  it.each([
    ["a server shut down by its administrator (57P01), wrapped by drizzle", wrapped(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))],
    ["a server still starting (57P03)", Object.assign(new Error("the database system is starting up"), { code: "57P03" })],
    ["a connection failure (08006)", Object.assign(new Error("connection failure"), { code: "08006" })],
    ["a refused connection", wrapped(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }))],
    ["a connection that ended under a query", wrapped(new Error("Connection terminated unexpectedly"))],
  ])("is true for %s", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ["a unique violation", wrapped(Object.assign(new Error("duplicate key"), { code: "23505" }))],
    ["a syntax error", Object.assign(new Error("syntax error"), { code: "42601" })],
    ["a Mailman core that refused the connection (fetch)", Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8001"), { code: "ECONNREFUSED" }) })],
    ["nothing", undefined],
  ])("is false for %s", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
