import { describe, expect, it } from "vitest";
import { FIELD_BY_KEY, sectionFields } from "./catalogue";
import { UNSET_LABEL, configDrift, describeValue, diffSection, formatDuration, parseDuration, parseField, sameValue, toFormValues } from "./values";

const field = (key: string) => FIELD_BY_KEY.get(key)!;

describe("durations", () => {
  it("reads what owners type and what the core sends", () => {
    expect(parseDuration("90d")).toBe(90 * 86_400);
    expect(parseDuration("2w")).toBe(14 * 86_400);
    expect(parseDuration("1d12h")).toBe(36 * 3_600);
    expect(parseDuration("1w2d")).toBe(9 * 86_400);
    expect(parseDuration("0d3600.0s")).toBe(3_600);
    for (const bad of ["", "90", "90 days", "1d1d", "-1d", "d"]) expect(parseDuration(bad), bad).toBeNull();
  });

  it("writes the units in the order the core's parser requires", () => {
    expect(formatDuration(9 * 86_400)).toBe("9d");
    expect(formatDuration(86_400 + 2 * 3_600 + 30)).toBe("1d2h30s");
    expect(formatDuration(0)).toBe("0d");
  });
});

describe("parseField", () => {
  it("converts each kind to the core's type", () => {
    expect(parseField(field("emergency"), true, false)).toEqual({ ok: true, value: true });
    expect(parseField(field("max_message_size"), " 40 ", 0)).toEqual({ ok: true, value: 40 });
    expect(parseField(field("digest_size_threshold"), "30.5", 30)).toEqual({ ok: true, value: 30.5 });
    expect(parseField(field("autoresponse_grace_period"), "2w", "90d")).toEqual({ ok: true, value: "14d" });
    expect(parseField(field("subject_prefix"), "[Alpha] ", "")).toEqual({ ok: true, value: "[Alpha] " });
    expect(parseField(field("hold_these_nonmembers"), "a@example.test\n\n ^.*@spam\\.test$ \n", [])).toEqual({
      ok: true,
      value: ["a@example.test", "^.*@spam\\.test$"],
    });
    expect(parseField(field("acceptable_aliases"), "Alias@Example.TEST", [])).toEqual({ ok: true, value: ["alias@example.test"] });
    expect(parseField(field("filter_types"), "image/jpeg\napplication", [])).toEqual({ ok: true, value: ["image/jpeg", "application"] });
  });

  it("keeps null (unset) while the control is left empty", () => {
    expect(parseField(field("reply_goes_to_list"), "", null)).toEqual({ ok: true, value: null });
    expect(parseField(field("first_strip_reply_to"), "", null)).toEqual({ ok: true, value: null });
    expect(parseField(field("first_strip_reply_to"), "true", null)).toEqual({ ok: true, value: true });
    expect(parseField(field("reply_to_address"), "", null)).toEqual({ ok: true, value: null });
  });

  it("names the field and the bad line", () => {
    expect(parseField(field("bounce_score_threshold"), "-1", 5)).toEqual({ ok: false, message: '"Bounce score threshold" must be a whole number of 0 or more.' });
    expect(parseField(field("accept_these_nonmembers"), "ok@example.test\n^([a-z]", [])).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^"Non-members whose posts are accepted", line 2: "\^\(\[a-z\]" is not a valid regular expression/),
    });
    expect(parseField(field("discard_these_nonmembers"), "@listname", [])).toMatchObject({ ok: false, message: expect.stringContaining('line 1: "@listname" is neither') });
    expect(parseField(field("bounce_info_stale_after"), "7 days", "7d")).toMatchObject({ ok: false, message: expect.stringContaining('"Forget bounce information after" must be a duration') });
  });

  it("accepts Python's named groups in regular expressions", () => {
    expect(parseField(field("hold_these_nonmembers"), "^(?P<user>.*)@example\\.test$", [])).toMatchObject({ ok: true });
  });

  it("lets a value the UI does not offer stay, but never be chosen", () => {
    expect(parseField(field("filter_action"), "hold", "hold")).toEqual({ ok: true, value: "hold" });
    expect(parseField(field("filter_action"), "defer", "discard")).toMatchObject({ ok: false });
    expect(parseField(field("filter_action"), "bogus", "discard")).toMatchObject({ ok: false });
  });
});

describe("diffSection", () => {
  const fields = sectionFields("message-acceptance");
  const original = {
    emergency: false,
    default_member_action: "defer",
    default_nonmember_action: "hold",
    accept_these_nonmembers: [],
    hold_these_nonmembers: [],
    reject_these_nonmembers: [],
    discard_these_nonmembers: [],
    acceptable_aliases: ["b@example.test", "a@example.test"],
    require_explicit_destination: true,
    administrivia: true,
    max_message_size: 40,
    max_num_recipients: 10,
    max_days_to_hold: 0,
  };

  it("lists only the changed keys, old → new, with warnings for risky ones", () => {
    const values = { ...toFormValues(fields, original), emergency: true, max_message_size: "40", acceptable_aliases: "a@example.test\nb@example.test", max_num_recipients: "12" };
    const diff = diffSection(fields, original, values);
    expect(diff.errors).toEqual({});
    expect(diff.patch).toEqual({ emergency: true, max_num_recipients: 12 });
    expect(diff.changes).toEqual([
      { key: "emergency", label: "Emergency moderation", from: "No", to: "Yes", warning: expect.stringContaining("Every post will be held") },
      { key: "max_num_recipients", label: "Maximum number of recipients", from: "10", to: "12", warning: undefined },
    ]);
  });

  it("reports every invalid field", () => {
    const values = { ...toFormValues(fields, original), max_message_size: "x", hold_these_nonmembers: "nope" };
    expect(Object.keys(diffSection(fields, original, values).errors)).toEqual(["hold_these_nonmembers", "max_message_size"]);
  });

  it("treats equal durations as unchanged", () => {
    const bounce = sectionFields("bounce-processing");
    const base = { bounce_info_stale_after: "7d" };
    expect(diffSection(bounce.filter((f) => f.kind === "duration").slice(0, 1), base, { bounce_info_stale_after: "1w" }).changes).toEqual([]);
  });
});

describe("describing values and drift", () => {
  it("shows null as unset (style default)", () => {
    expect(describeValue(field("reply_goes_to_list"), null)).toBe(UNSET_LABEL);
    expect(describeValue(field("reply_goes_to_list"), "point_to_list")).toBe("To the list");
    expect(describeValue(field("accept_these_nonmembers"), [])).toBe("(none)");
  });

  it("finds the keys another admin changed", () => {
    const fields = sectionFields("identity");
    expect(configDrift(fields, { description: "", display_name: "A" }, { description: "New", display_name: "A" })).toEqual([
      { key: "description", label: "Short description", loaded: "(empty)", current: "New" },
    ]);
  });

  it("compares lines without regard to order", () => {
    expect(sameValue(field("acceptable_aliases"), ["a", "b"], ["b", "a"])).toBe(true);
    expect(sameValue(field("acceptable_aliases"), ["a"], ["a", "b"])).toBe(false);
  });
});
