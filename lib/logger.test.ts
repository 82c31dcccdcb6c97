import { describe, expect, it } from "vitest";
import { serializeError } from "./logger";

describe("serializeError", () => {
  it("keeps the failed query but not its values, in the message, the stack, params and the cause", () => {
    const hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";
    const failed = Object.assign(new Error(`Failed query: insert into "users" ("email", "password_hash") values ($1, $2)\nparams: a@example.org,${hash}`), {
      query: 'insert into "users" ("email", "password_hash") values ($1, $2)',
      params: ["a@example.org", hash],
      cause: Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
    });
    const wrapped = new Error("could not save", { cause: failed });
    const logged = JSON.stringify(serializeError(wrapped));
    expect(logged).not.toContain(hash);
    expect(logged).not.toContain("a@example.org");
    expect(logged).toContain('insert into \\"users\\"');
    expect(logged).toContain("params: [redacted]");
    expect(logged).toContain("terminating connection due to administrator command");
  });

  it("leaves other errors and non-errors as they are", () => {
    expect(serializeError("plain")).toBe("plain");
    expect(serializeError(new Error("Mailman GET /lists → 500"))).toMatchObject({ message: "Mailman GET /lists → 500", type: "Error" });
  });
});
