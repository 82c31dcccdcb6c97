import { describe, expect, it } from "vitest";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from "@/lib/errors";
import { MailmanTransportError } from "@/lib/mailman/errors";
import { dryRunQuery, pageQuery, toProblem, ValidationProblem } from "./endpoint";

describe("problem+json (RFC 9457) for every expected failure", () => {
  const cases: [unknown, number][] = [
    [new ValidationProblem([{ path: "emails.0.address", message: "bad" }]), 422],
    [new UnauthenticatedError(), 401],
    [new ForbiddenError(), 403],
    [new NotFoundError("no such person"), 404],
    [new ConflictError("renamed", { field: "name" }), 409],
    [new InvalidInputError("bad group", { field: "membersGroupId" }), 422],
    [new MailmanTransportError("refused", "GET", "/domains"), 502],
    [new Error("boom"), 500],
  ];
  it.each(cases)("%s → %i", async (error, status) => {
    const response = toProblem(error);
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ type: "about:blank", status });
    expect(typeof body.title).toBe("string");
    expect(typeof body.detail).toBe("string");
  });

  it("422 lists the paths of the bad fields; 409 names the field", async () => {
    expect(await toProblem(new ValidationProblem([{ path: "emails.0.address", message: "bad" }])).json()).toMatchObject({ errors: [{ path: "emails.0.address", message: "bad" }] });
    expect(await toProblem(new ConflictError("renamed", { field: "name" })).json()).toMatchObject({ errors: [{ path: "name" }] });
  });

  it("an unexpected error shows a reference, never its own message", async () => {
    const body = (await toProblem(new Error("secret internals")).json()) as { detail: string; reference: string };
    expect(body.detail).not.toContain("secret internals");
    expect(body.detail).toContain(body.reference);
  });
});

describe("query helpers", () => {
  it("pages default to 1 × 50 and cap at 500", () => {
    expect(pageQuery.parse({})).toEqual({ page: 1, perPage: 50 });
    expect(pageQuery.safeParse({ perPage: "501" }).success).toBe(false);
  });
  it("dryRun is true only for 'true'", () => {
    expect(dryRunQuery.parse({ dryRun: "true" }).dryRun).toBe(true);
    expect(dryRunQuery.parse({}).dryRun).toBe(false);
    expect(dryRunQuery.safeParse({ dryRun: "yes" }).success).toBe(false);
  });
});
