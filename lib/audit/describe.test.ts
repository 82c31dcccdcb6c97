import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS } from "./actions";
import { actionLabel, describeAuditDetail } from "./describe";
import { listIdOfEntry } from "./scope";

describe("audit log words", () => {
  it("names every action in words", () => {
    for (const action of AUDIT_ACTIONS) expect(actionLabel(action)).not.toBe(action);
  });

  it("shows settings changes as old → new", () => {
    const line = describeAuditDetail("list.settings.update", "a.example.org", {
      section: "messages",
      outcome: "saved",
      changes: [
        { key: "max_message_size", from: 40, to: 100 },
        { key: "subject_prefix", from: "", to: "[A] " },
      ],
    });
    expect(line).toBe("messages: max_message_size 40 → 100; subject_prefix (empty) → [A] ");
  });

  it("says why a refused change failed, after what was asked", () => {
    expect(describeAuditDetail("ban.remove", "l", { email: "x@example.org", error: "x@example.org is not banned (any more). Reload the page." })).toBe(
      "x@example.org — x@example.org is not banned (any more). Reload the page.",
    );
    expect(describeAuditDetail("registry.group", "/scim/v2/Groups/9", { method: "PATCH", error: "There is no such resource." })).toBe("method: PATCH — There is no such resource.");
  });

  it("sums a finished job's outcomes", () => {
    expect(describeAuditDetail("members.mass_subscribe.finished", "l", { jobId: 7, outcomes: { subscribed: 12, already_member: 0, failed: 1 } })).toBe(
      "12 subscribed, 1 failed (job 7)",
    );
  });

  it("falls back to key: value pairs and clips long summaries", () => {
    expect(describeAuditDetail("held.reject", "l", { requestId: 3, reason: "off topic" })).toBe("requestId: 3; reason: off topic");
    const long = describeAuditDetail("list.settings.update", "l", {
      changes: Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, from: "x".repeat(30), to: "y".repeat(30) })),
    });
    expect(long.length).toBeLessThanOrEqual(400);
    expect(long.endsWith("…")).toBe(true);
  });
});

describe("the list an entry concerns", () => {
  it("is the subject for list actions, the scope id for list templates, none for servers", () => {
    expect(listIdOfEntry("ban.add", "a.example.org")).toBe("a.example.org");
    expect(listIdOfEntry("template.save", "list:a.example.org:list:member:regular:footer")).toBe("a.example.org");
    expect(listIdOfEntry("template.save", "domain:example.org:list:member:regular:footer")).toBeNull();
    expect(listIdOfEntry("target.update", "Main server")).toBeNull();
    expect(listIdOfEntry("global-ban.add", "x@example.org")).toBeNull();
    expect(listIdOfEntry("auth.sign_in", "admin@example.org")).toBeNull();
  });
});
