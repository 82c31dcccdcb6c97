import { describe, expect, it } from "vitest";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from "@/lib/errors";
import { consoleRouteError } from "./console-route";

const fetchRequest = () => new Request("http://localhost/lists/1/x/members/export", { headers: { "sec-fetch-mode": "cors" } });
const linkRequest = () => new Request("http://localhost/lists/1/x/members/export?q=a", { headers: { "sec-fetch-mode": "navigate" } });

describe("consoleRouteError", () => {
  it("answers a fetch with the entry layer's status and the message an action would show", async () => {
    const cases: [Error, number][] = [
      [new UnauthenticatedError("Sign in."), 401],
      [new ForbiddenError("Owners only."), 403],
      [new NotFoundError("No such list."), 404],
      [new ConflictError("Taken."), 409],
      [new InvalidInputError("page: too big"), 422],
    ];
    for (const [error, status] of cases) {
      const response = consoleRouteError(error, fetchRequest());
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ error: error.message });
    }
  });

  it("hides an unexpected error behind a reference", async () => {
    const response = consoleRouteError(new Error("connection string postgres://u:hunter2@db"), fetchRequest());
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: string; reference: string };
    expect(body.error).toContain(body.reference);
    expect(JSON.stringify(body)).not.toContain("hunter2");
  });

  it("sends a followed link to the sign-in page with its way back, or to the refused page", () => {
    expect(() => consoleRouteError(new UnauthenticatedError("Sign in."), linkRequest())).toThrow(expect.objectContaining({ digest: expect.stringContaining("/login?callbackUrl=%2Flists%2F1%2Fx%2Fmembers%2Fexport%3Fq%3Da") }));
    expect(() => consoleRouteError(new ForbiddenError("No."), linkRequest())).toThrow(expect.objectContaining({ digest: expect.stringContaining("/refused/forbidden") }));
  });
});
