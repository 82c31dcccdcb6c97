import { describe, expect, it } from "vitest";
import { ScimProblem } from "./errors";
import { listResponse, matches, paging, parseFilter, project, requiredEquals } from "./filter";
import { checkIfMatch, parseActive, personFromUser, scimUserInput, userFromPerson, withMeta } from "./mapping";
import { applyPatch, normaliseOperations } from "./patch";

const MAP = { work: "official", home: "personal", other: "personal" };
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

describe("mapping", () => {
  it("a SCIM User becomes a registry person: primary → preferred, types through the map, active=false → suspended", () => {
    const input = scimUserInput.parse({
      userName: "ada@x.test",
      active: "False",
      name: { givenName: "Ada", familyName: "L" },
      emails: [
        { value: "Ada@x.test", type: "work", primary: true },
        { value: "ada@home.test", type: "home" },
        { value: "ADA@x.test", type: "work" },
        { value: "a@odd.test", type: "pager" },
      ],
    });
    expect(personFromUser(input, MAP, [{ id: 7, address: "ada@home.test" }])).toEqual({
      displayName: "Ada L",
      givenName: "Ada",
      familyName: "L",
      status: "suspended",
      externalId: null,
      emails: [
        { address: "Ada@x.test", type: "preferred", verified: true },
        { id: 7, address: "ada@home.test", type: "personal", verified: true },
        { address: "a@odd.test", type: "personal", verified: true },
      ],
    });
  });

  it("a person becomes a SCIM User with groups and a version that changes with the content", () => {
    const person = { id: 3, displayName: "Ada", givenName: "Ada", familyName: "", status: "grace_period", externalId: "e1", userName: "ada", createdAt: new Date(0), updatedAt: new Date(0), groups: [{ id: 9, name: "G" }], emails: [{ id: 1, address: "a@x.test", type: "preferred" }, { id: 2, address: "b@x.test", type: "personal" }] };
    const user = userFromPerson(person, MAP, "https://lk/scim/v2");
    expect(user).toMatchObject({ id: "3", externalId: "e1", active: true, emails: [{ value: "a@x.test", type: "work", primary: true }, { value: "b@x.test", type: "home" }], groups: [{ value: "9", display: "G" }] });
    expect(user.meta).toMatchObject({ resourceType: "User", location: "https://lk/scim/v2/Users/3", version: expect.stringMatching(/^W\/"/) });
    expect(userFromPerson({ ...person, displayName: "Other" }, MAP, "https://lk/scim/v2").meta.version).not.toBe(user.meta.version);
  });

  it("active accepts booleans and Entra's strings only", () => {
    expect(parseActive("True")).toBe(true);
    expect(parseActive(false)).toBe(false);
    expect(parseActive(undefined)).toBeUndefined();
    expect(() => parseActive("yes")).toThrow(ScimProblem);
  });

  it("If-Match: absent or * passes, the version (weak or not) passes, anything else is 412", () => {
    const { meta } = withMeta({ id: "1" }, "Group", new Date(0), new Date(0), "x");
    expect(() => checkIfMatch(null, meta.version)).not.toThrow();
    expect(() => checkIfMatch("*", meta.version)).not.toThrow();
    expect(() => checkIfMatch(meta.version.replace("W/", ""), meta.version)).not.toThrow();
    expect(() => checkIfMatch('W/"other"', meta.version)).toThrow(expect.objectContaining({ status: 412 }));
  });
});

describe("filter and paging", () => {
  const users = [
    { id: "1", userName: "Ada@X.test", externalId: "e1", emails: [{ value: "ada@x.test", type: "work" }], displayName: "Ada" },
    { id: "2", userName: "bob@x.test", externalId: "e2", emails: [{ value: "bob@y.test", type: "home" }], displayName: "Bob" },
  ];
  const ids = (f: string) => users.filter((u) => matches(u, parseFilter(f))).map((u) => u.id);

  it("eq, co, sw, and, or, value paths; userName and emails compare without case", () => {
    expect(ids('userName eq "ada@x.test"')).toEqual(["1"]);
    expect(ids('externalId eq "e2"')).toEqual(["2"]);
    expect(ids('emails.value co "y.test"')).toEqual(["2"]);
    expect(ids('emails[type eq "work" and value eq "ADA@x.test"]')).toEqual(["1"]);
    expect(ids('displayName sw "B" or userName eq "ada@x.test"')).toEqual(["1", "2"]);
    expect(ids('displayName sw "B" and externalId eq "e1"')).toEqual([]);
    expect(() => parseFilter("userName eq")).toThrow(expect.objectContaining({ status: 400, scimType: "invalidFilter" }));
  });

  it("the equalities a filter requires narrow the database read, Entra's email path included", () => {
    expect([...requiredEquals(parseFilter('userName eq "a" and externalId eq "b"'))]).toEqual([
      ["username", "a"],
      ["externalid", "b"],
    ]);
    expect(requiredEquals(parseFilter('emails[type eq "work"].value eq "x@y"')).get("emails.value")).toBe("x@y");
    expect(requiredEquals(parseFilter('userName eq "a" or userName eq "b"')).size).toBe(0);
  });

  it("startIndex is 1-based, count bounded; attributes and excludedAttributes", () => {
    const url = new URL("http://x/Users?startIndex=2&count=1&excludedAttributes=members");
    expect(paging(url)).toEqual({ startIndex: 2, count: 1 });
    expect(listResponse(["a", "b", "c"], paging(url))).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1, Resources: ["b"] });
    expect(paging(new URL("http://x/?startIndex=0&count=-3"))).toEqual({ startIndex: 1, count: 0 });
    expect(project({ id: "1", schemas: [], displayName: "G", members: [] }, url)).toEqual({ id: "1", schemas: [], displayName: "G" });
    expect(project({ id: "1", userName: "u", emails: [] }, new URL("http://x/?attributes=userName"))).toEqual({ id: "1", userName: "u" });
  });
});

describe("PATCH as providers send it", () => {
  const group = { schemas: [], id: "5", displayName: "G", members: [{ value: "1", display: "A", type: "User" }, { value: "2", display: "B", type: "User" }], meta: { version: "v" } };

  it("op names in any case; Entra's value-list removal and Okta's filter-path removal", () => {
    expect(applyPatch(group, { schemas: [PATCH], Operations: [{ op: "Remove", path: "members", value: [{ value: "1" }] }] }).members.map((m) => m.value)).toEqual(["2"]);
    expect(applyPatch(group, { schemas: [PATCH], Operations: [{ op: "REMOVE", path: 'members[value eq "2"]' }] }).members.map((m) => m.value)).toEqual(["1"]);
    expect(applyPatch(group, { Operations: [{ op: "Add", path: "members", value: [{ value: "3" }] }] }).members.map((m) => m.value)).toEqual(["1", "2", "3"]);
    expect(applyPatch(group, { Operations: [{ op: "replace", value: { id: "5", displayName: "H" } }] })).toMatchObject({ displayName: "H", members: group.members });
  });

  it("replace without a path: plain keys stay one operation, path keys (Entra) become their own; active strings become booleans", () => {
    expect(normaliseOperations({ Operations: [{ op: "Replace", value: { displayName: "X", "name.givenName": "Y", active: "False" } }] })).toEqual([
      { op: "replace", value: { displayName: "X", active: false } },
      { op: "replace", path: "name.givenName", value: "Y" },
    ]);
    const user = { id: "1", userName: "u", name: { givenName: "A" }, active: true, emails: [{ value: "a@x", type: "work" }] };
    expect(applyPatch(user, { Operations: [{ op: "Replace", path: "active", value: "False" }, { op: "replace", path: 'emails[type eq "work"].value', value: "b@x" }] })).toMatchObject({ active: false, emails: [{ value: "b@x", type: "work" }] });
  });

  it("refuses what is not a PatchOp: unknown ops, a remove without a path, no operations", () => {
    expect(() => normaliseOperations({ Operations: [{ op: "move", path: "x" }] })).toThrow(ScimProblem);
    expect(() => normaliseOperations({ Operations: [{ op: "remove" }] })).toThrow(expect.objectContaining({ scimType: "noTarget" }));
    expect(() => normaliseOperations({ Operations: [] })).toThrow(ScimProblem);
  });
});
