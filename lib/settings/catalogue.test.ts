import { describe, expect, it } from "vitest";
import { ALL_FIELDS, SECTIONS, SECTION_SLUGS, offeredOptions, sectionFields } from "./catalogue";

// mailman-rest.md Appendix A (core 3.3.8).
const APPENDIX_A: Record<string, string[]> = {
  default_member_action: ["hold", "reject", "discard", "accept", "defer"],
  default_nonmember_action: ["hold", "reject", "discard", "accept", "defer"],
  filter_action: ["hold", "reject", "discard", "accept", "defer", "forward", "preserve"],
  archive_policy: ["never", "private", "public"],
  archive_rendering_mode: ["text", "markdown"],
  autorespond_owner: ["none", "respond_and_discard", "respond_and_continue"],
  autorespond_postings: ["none", "respond_and_discard", "respond_and_continue"],
  autorespond_requests: ["none", "respond_and_discard", "respond_and_continue"],
  forward_unrecognized_bounces_to: ["discard", "administrators", "site_owner"],
  digest_volume_frequency: ["yearly", "monthly", "quarterly", "weekly", "daily"],
  dmarc_mitigate_action: ["no_mitigation", "munge_from", "wrap_message", "reject", "discard"],
  personalize: ["none", "individual", "full"],
  reply_goes_to_list: ["no_munging", "point_to_list", "explicit_header", "explicit_header_only"],
  subscription_policy: ["open", "confirm", "moderate", "confirm_then_moderate"],
  unsubscription_policy: ["open", "confirm", "moderate", "confirm_then_moderate"],
  newsgroup_moderation: ["none", "open_moderated", "moderated"],
  member_roster_visibility: ["public", "members", "moderators"],
};

describe("the settings catalogue", () => {
  it("has the nine sections in the order list admins know", () => {
    expect(SECTIONS.map((s) => s.slug)).toEqual([...SECTION_SLUGS]);
    expect(SECTION_SLUGS).toHaveLength(9);
  });

  it("holds the 74 writable config keys of console.md §3.1 once each (the moderator password is separate)", () => {
    const keys = ALL_FIELDS.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(74);
    expect(keys).not.toContain("moderator_password");
  });

  it("allows exactly the enum values of Appendix A", () => {
    for (const field of ALL_FIELDS.filter((f) => f.kind === "enum" && f.key in APPENDIX_A)) {
      expect(field.options!.map((o) => o.value).sort(), field.key).toEqual([...APPENDIX_A[field.key]!].sort());
    }
    expect(ALL_FIELDS.filter((f) => f.kind === "enum").map((f) => f.key).sort()).toEqual(
      [...Object.keys(APPENDIX_A), "preferred_language", "posting_pipeline"].sort(),
    );
  });

  it("never offers defer, hold or accept as what to do with filtered messages", () => {
    const filter = ALL_FIELDS.find((f) => f.key === "filter_action")!;
    expect(offeredOptions(filter).map((o) => o.value)).toEqual(["discard", "reject", "forward", "preserve"]);
  });

  it("flags the risky keys with a plain warning", () => {
    const risky = ALL_FIELDS.filter((f) => f.risk).map((f) => f.key).sort();
    expect(risky).toEqual(["archive_policy", "default_member_action", "default_nonmember_action", "dmarc_mitigate_action", "emergency", "subscription_policy"]);
    const emergency = ALL_FIELDS.find((f) => f.key === "emergency")!;
    expect(emergency.risk!(true)).toMatch(/Every post will be held/);
    expect(ALL_FIELDS.find((f) => f.key === "subscription_policy")!.risk!("open")).toMatch(/against their will/);
  });

  it("adds one switch per enabled archiver to the Archiving section only", () => {
    expect(sectionFields("archiving", ["hyperkitty"]).map((f) => f.key)).toContain("archiver:hyperkitty");
    expect(sectionFields("identity", ["hyperkitty"]).map((f) => f.key)).not.toContain("archiver:hyperkitty");
  });
});
