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

describe("query parsing", () => {
  it("falls back to the first page and the approval tab on nonsense", () => {
    expect(parseHeldPageQuery({})).toEqual({ page: 1 });
    expect(parseHeldPageQuery({ page: ["3", "4"] })).toEqual({ page: 3 });
    expect(parseHeldPageQuery({ page: "-2" })).toEqual({ page: 1 });
    expect(parseRequestsQuery({ tab: "unsubscriptions", page: "2" })).toEqual({ tab: "unsubscriptions", page: 2 });
    expect(parseRequestsQuery({ tab: "<script>", page: "x" })).toEqual({ tab: "approval", page: 1 });
  });
});

describe("input schemas", () => {
  const ref = { targetId: 1, listId: "a.example.org" };
  it("needs at least one message and a known action", () => {
    expect(moderateHeldSchema.safeParse({ ...ref, requestIds: [], action: "accept" }).success).toBe(false);
    expect(moderateHeldSchema.safeParse({ ...ref, requestIds: [1], action: "forward" }).success).toBe(false);
    expect(moderateHeldSchema.parse({ ...ref, requestIds: ["7"], action: "reject", reason: "  off topic " })).toMatchObject({ requestIds: [7], reason: "off topic" });
  });

  it("accepts only token-shaped tokens, so none can change the REST path", () => {
    const item = (token: string) => ({ ...ref, tab: "approval", items: [{ token, email: "a@b.example" }], action: "accept" });
    expect(moderateRequestsSchema.safeParse(item("0123abcdef")).success).toBe(true);
    expect(moderateRequestsSchema.safeParse(item("../held/1")).success).toBe(false);
    expect(moderateRequestsSchema.safeParse({ ...item("abc"), action: "hold" }).success).toBe(false);
    expect(moderateRequestsSchema.safeParse({ ...item("abc"), tab: "everything" }).success).toBe(false);
  });
});
