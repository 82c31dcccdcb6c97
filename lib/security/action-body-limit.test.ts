import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ACTION_BODY_LIMIT, ACTION_BODY_LIMIT_BYTES, actionBodyRefusal } from "./action-body-limit";

const action = (length?: string) => new Headers({ "next-action": "00abc", ...(length === undefined ? {} : { "content-length": length }) });

describe("server action body limit", () => {
  it("is the limit next.config.mjs gives Next", () => {
    const config = readFileSync(path.join(__dirname, "../../next.config.mjs"), "utf8");
    expect(config.match(/bodySizeLimit: "([^"]+)"/)?.[1]).toBe(ACTION_BODY_LIMIT);
    expect(ACTION_BODY_LIMIT_BYTES).toBe(8 * 1024 * 1024);
  });

  it("refuses an action's body past the limit with 413 and one of unknown length with 411", () => {
    expect(actionBodyRefusal("POST", action(String(10 * 1024 * 1024)))).toMatchObject({ status: 413, message: expect.stringContaining("8 MB") });
    expect(actionBodyRefusal("POST", action(String(ACTION_BODY_LIMIT_BYTES + 1)))?.status).toBe(413);
    expect(actionBodyRefusal("POST", action())).toMatchObject({ status: 411 });
    expect(actionBodyRefusal("POST", action("12, 13"))?.status).toBe(411);
  });

  it("lets everything else through: bodies within the limit, other methods, requests that are not actions", () => {
    expect(actionBodyRefusal("POST", action(String(ACTION_BODY_LIMIT_BYTES)))).toBeNull();
    expect(actionBodyRefusal("POST", action("0"))).toBeNull();
    expect(actionBodyRefusal("GET", action())).toBeNull();
    expect(actionBodyRefusal("POST", new Headers({ "content-length": String(20 * 1024 * 1024) }))).toBeNull();
  });
});
