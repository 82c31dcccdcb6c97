import { describe, expect, it } from "vitest";
import { preferencesFromForm } from "./member";
import { addStaffSchema, LABELS, label, moderationSchema, preferencesFormSchema } from "./member-input";

const inherit = {
  delivery_mode: "inherit",
  delivery_status: "inherit",
  acknowledge_posts: "inherit",
  hide_address: "inherit",
  receive_list_copy: "inherit",
  receive_own_postings: "inherit",
  preferred_language: "inherit",
} as const;

describe("member inputs", () => {
  it("never accepts defer as a member's moderation action (Q-2)", () => {
    const ref = { targetId: 1, listId: "l.example", memberId: "a".repeat(32) };
    expect(moderationSchema.safeParse({ ...ref, action: "defer" }).success).toBe(false);
    expect(moderationSchema.safeParse({ ...ref, action: "default" }).success).toBe(true);
    expect(moderationSchema.safeParse({ ...ref, memberId: "../x", action: "hold" }).success).toBe(false);
  });

  it("lower-cases and checks staff addresses", () => {
    expect(addStaffSchema.parse({ targetId: "3", listId: "l.example", role: "owner", email: " Ann@Example.ORG " })).toMatchObject({ targetId: 3, email: "ann@example.org" });
    expect(addStaffSchema.safeParse({ targetId: 3, listId: "l", role: "member", email: "a@b.c" }).success).toBe(false);
    expect(addStaffSchema.safeParse({ targetId: 3, listId: "l", role: "owner", email: "nope" }).success).toBe(false);
  });

  it("turns the form into the core's preferences, leaving inherited keys out", () => {
    expect(preferencesFromForm(preferencesFormSchema.parse(inherit))).toEqual({});
    expect(preferencesFromForm(preferencesFormSchema.parse({ ...inherit, delivery_mode: "mime_digests", hide_address: "false", acknowledge_posts: "true", preferred_language: "pt_BR" }))).toEqual({
      delivery_mode: "mime_digests",
      hide_address: false,
      acknowledge_posts: true,
      preferred_language: "pt_BR",
    });
    expect(preferencesFormSchema.safeParse({ ...inherit, preferred_language: "english!" }).success).toBe(false);
    // Only the languages the form offers (the core's set), not any code-shaped text.
    expect(preferencesFormSchema.safeParse({ ...inherit, preferred_language: "xx_YY" }).success).toBe(false);
    expect(preferencesFormSchema.safeParse({ ...inherit, delivery_status: "unknown" }).success).toBe(false);
  });

  it("labels enum values", () => {
    expect(label(LABELS.deliveryStatus, "by_bounces")).toBe("Disabled by bounces");
    expect(label(LABELS.moderation, null)).toBe("—");
    expect(label(LABELS.deliveryMode, "new_mode")).toBe("new_mode");
  });
});
