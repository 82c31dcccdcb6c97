import { describe, expect, it } from "vitest";
import { MailmanError, MailmanTransportError } from "@/lib/mailman/errors";
import { bulkRemoveOutcome, isRetryable, subscribeOutcome, unsubscribeOutcome } from "./bulk-outcome";

const fresh = { inDoubt: false, expectedMember: false };
const doubtNew = { inDoubt: true, expectedMember: false };
const doubtMember = { inDoubt: true, expectedMember: true };
const coreError = (status: number, description: string) => new MailmanError({ status, title: `${status}`, description, method: "POST", path: "/members" });
const noPending = async () => null;

describe("subscribeOutcome", () => {
  it("reads 201 and the two kinds of 202", async () => {
    expect(await subscribeOutcome({ kind: "subscribed" }, fresh, noPending)).toEqual({ outcome: "subscribed", detail: null });
    expect((await subscribeOutcome({ kind: "pending", tokenOwner: "moderator" }, fresh, noPending)).outcome).toBe("pending_approval");
    expect((await subscribeOutcome({ kind: "pending", tokenOwner: "subscriber" }, fresh, noPending)).outcome).toBe("pending_confirmation");
  });

  it("reads 'already subscribed' as our own earlier success only for an in-doubt item that was not a member", async () => {
    const answer = { kind: "error" as const, error: coreError(409, "Member already subscribed") };
    expect((await subscribeOutcome(answer, fresh, noPending)).outcome).toBe("already_member");
    expect((await subscribeOutcome(answer, doubtNew, noPending)).outcome).toBe("subscribed");
    expect((await subscribeOutcome(answer, doubtMember, noPending)).outcome).toBe("already_member");
  });

  it("asks who a pending request waits for, and says when it predates the job", async () => {
    const answer = { kind: "error" as const, error: coreError(409, "Subscription request already pending") };
    const moderator = async () => "moderator";
    expect(await subscribeOutcome(answer, fresh, moderator)).toEqual({ outcome: "pending_approval", detail: "A request for this address was already pending before this job" });
    expect(await subscribeOutcome(answer, doubtNew, moderator)).toEqual({ outcome: "pending_approval", detail: "Waiting for a moderator" });
    expect((await subscribeOutcome(answer, fresh, noPending)).outcome).toBe("pending_confirmation");
  });

  it("maps bans, invalid addresses and the list's own address; keeps the core's words otherwise", async () => {
    expect(await subscribeOutcome({ kind: "error", error: coreError(400, "Membership is banned") }, fresh, noPending)).toEqual({ outcome: "banned", detail: "Membership is banned" });
    expect((await subscribeOutcome({ kind: "error", error: coreError(400, 'Invalid Parameter "subscriber": .') }, fresh, noPending)).outcome).toBe("invalid");
    expect(await subscribeOutcome({ kind: "error", error: coreError(400, "List posting address cannot subscribe") }, fresh, noPending)).toEqual({
      outcome: "invalid",
      detail: "List posting address cannot subscribe",
    });
    expect(await subscribeOutcome({ kind: "error", error: coreError(400, "No such list") }, fresh, noPending)).toEqual({ outcome: "failed", detail: "No such list" });
  });
});

describe("removal outcomes", () => {
  it("reads a bulk answer, counting an in-doubt 'false' for a member as our own removal", () => {
    expect(bulkRemoveOutcome(true, fresh).outcome).toBe("removed");
    expect(bulkRemoveOutcome(false, fresh).outcome).toBe("not_member");
    expect(bulkRemoveOutcome(false, doubtMember).outcome).toBe("removed");
    expect(bulkRemoveOutcome(false, doubtNew).outcome).toBe("not_member");
  });

  it("reads the workflow answers", () => {
    expect(unsubscribeOutcome({ kind: "pending" }, fresh).outcome).toBe("pending_approval");
    expect(unsubscribeOutcome({ kind: "not_member" }, doubtMember).outcome).toBe("removed");
    expect(unsubscribeOutcome({ kind: "not_member" }, fresh).outcome).toBe("not_member");
  });
});

it("retries transport failures and 5xx only", () => {
  expect(isRetryable(new MailmanTransportError("refused", "POST", "/members"))).toBe(true);
  expect(isRetryable(coreError(500, "boom"))).toBe(true);
  expect(isRetryable(coreError(409, "Member already subscribed"))).toBe(false);
});
