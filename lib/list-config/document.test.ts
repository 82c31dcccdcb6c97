import { describe, expect, it } from "vitest";
import { parseConfigDocument } from "./document";

describe("parseConfigDocument", () => {
  it("refuses documents that are not list configurations, in plain words", () => {
    expect(parseConfigDocument("{")).toMatchObject({ problem: expect.stringMatching(/not JSON/) });
    expect(parseConfigDocument('{"format":"other"}')).toMatchObject({ problem: expect.stringMatching(/not a Listkeeper list configuration/) });
    expect(parseConfigDocument('{"format":"listkeeper/list-config","version":2}')).toMatchObject({ problem: expect.stringMatching(/Version 2/) });
    expect(parseConfigDocument('{"format":"listkeeper/list-config","version":1,"headerFilters":[{"header":"x","pattern":"y","action":"defer"}]}')).toMatchObject({
      problem: expect.stringMatching(/headerFilters\.0\.action/),
    });
    expect(parseConfigDocument('{"format":"listkeeper/list-config","version":1,"member":[]}')).toMatchObject({ problem: expect.stringMatching(/member/) });
  });

  it("reads a minimal document, filling the parts it leaves out", () => {
    const parsed = parseConfigDocument('{"format":"listkeeper/list-config","version":1,"owners":["Ann@Example.org"]}');
    expect(parsed).toEqual({
      document: { format: "listkeeper/list-config", version: 1, settings: {}, archivers: {}, headerFilters: [], bans: [], templates: [], owners: ["ann@example.org"], moderators: [] },
    });
  });
});
