import { describe, expect, it } from "vitest";
import { sectionFields } from "./catalogue";
import { mapCoreError } from "./settings";

describe("mapCoreError", () => {
  const fields = [...sectionFields("message-acceptance"), ...sectionFields("archiving", ["hyperkitty"]), ...sectionFields("identity"), ...sectionFields("alter-messages")];

  it("splits the core's joined conversion errors per field (mailman-rest.md §1)", () => {
    const description =
      'Invalid Parameter "archive_policy": Accepted Values are: never, private, public. Invalid Parameter "max_message_size": invalid literal for int() with base 10: \'abc\'.';
    expect(mapCoreError(description, { archive_policy: "x", max_message_size: "abc" }, fields)).toEqual({
      archive_policy: '"Archive policy": the Mailman core refused this value (Accepted Values are: never, private, public.)',
      max_message_size: "\"Maximum message size (KB)\": the Mailman core refused this value (invalid literal for int() with base 10: 'abc'.)",
    });
  });

  it("explains the core's empty and misleading messages (Q-11)", () => {
    expect(mapCoreError('Invalid Parameter "autoresponse_grace_period": .', { autoresponse_grace_period: "x" }, sectionFields("automatic-responses"))).toEqual({
      autoresponse_grace_period: '"Automatic response grace period": the Mailman core refused this value.',
    });
    expect(mapCoreError("Unexpected parameters: preferred_language", { preferred_language: "xx" }, fields)).toEqual({
      preferred_language: '"Preferred language": this language is not enabled on the Mailman server.',
    });
    expect(mapCoreError("Unexpected parameters: hyperkitty", { "archiver:hyperkitty": true }, fields)).toEqual({
      "archiver:hyperkitty": '"Archive with hyperkitty": this archiver is not enabled on the Mailman server (any more).',
    });
    expect(mapCoreError("Unknown pipeline: nope", { posting_pipeline: "nope" }, fields)).toEqual({
      posting_pipeline: '"Posting pipeline": the Mailman server has no pipeline "nope".',
    });
  });

  it("finds the field of a post-validation error that names only the bad value (Q-3)", () => {
    expect(mapCoreError("bad alias", { description: "x", acceptable_aliases: ["ok@example.test", "bad alias"] }, fields)).toEqual({
      acceptable_aliases: '"Acceptable aliases": the Mailman core refused it: bad alias',
    });
  });

  it("leaves an error it cannot place for the banner", () => {
    expect(mapCoreError("Something odd", { description: "x", info: "y" }, fields)).toEqual({});
  });
});
