import { describe, expect, it } from "vitest";
import { moderateHeldSchema, parseHeldPageQuery } from "./held-input";
import { summarize } from "./outcome";
import { moderateRequestsSchema, parseRequestsQuery } from "./requests-input";

describe("summarize", () => {
  it("counts partial as done and names stale and failed items", () => {
    expect(summarize([{ id: "1", outcome: "done", message: "" }]).text).toBe("1 done");
    expect(
      summarize([
        { id: "1", outcome: "done", message: "" },
        { id: "2", outcome: "partial", message: "" },
        { id: "3", outcome: "stale", message: "" },
        { id: "4", outcome: "failed", message: "" },
      ]),
    ).toEqual({ done: 2, stale: 1, failed: 1, text: "2 done, 1 already handled, 1 failed" });
  });
});
