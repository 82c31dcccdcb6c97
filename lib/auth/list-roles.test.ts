import { describe, expect, it } from "vitest";
import type { MailmanClient, Member, Page } from "@/lib/mailman";
import { resolveListRoles } from "./list-roles";
import type { Viewer } from "./users";

type FindArgs = Parameters<MailmanClient["findMembers"]>;

/** A client whose `members/find` answers from `memberships` the way the core does for an address. */
function fakeClient(memberships: Member[]) {
  const calls: FindArgs[] = [];
  const client = {
    findMembers: async (...args: FindArgs): Promise<Page<Member>> => {
      calls.push(args);
      const [criteria] = args;
      const entries = memberships.filter((m) => m.list_id === criteria.listId && m.email === criteria.subscriber?.toLowerCase());
      return { start: 0, total: entries.length, entries };
    },
  } as unknown as MailmanClient;
  return { client, calls };
}

function viewer(emails: { email: string; verified: boolean }[]): Viewer {
  return { id: "u1", displayName: "", isSuperuser: false, emails, verifiedEmails: emails.filter((e) => e.verified).map((e) => e.email) };
}

const LIST = "team.example.org";

describe("resolveListRoles", () => {
  it("asks members/find once per verified address, for every role at once, and reads the roles", async () => {
    const { client, calls } = fakeClient([
      { list_id: LIST, email: "ada@example.org", role: "owner" },
      { list_id: LIST, email: "ada@example.org", role: "member" },
      { list_id: LIST, email: "ada@work.example", role: "moderator" },
      { list_id: "other.example.org", email: "ada@example.org", role: "owner" },
    ]);
    const ada = viewer([
      { email: "ada@example.org", verified: true },
      { email: "ada@work.example", verified: true },
    ]);
    const roles = await resolveListRoles(client, 1, LIST, ada);
    expect(roles).toEqual(new Set(["owner", "member", "moderator"]));
    expect(calls).toHaveLength(2);
    for (const [criteria, request, fields] of calls) {
      expect(criteria).toEqual({ listId: LIST, subscriber: expect.any(String) });
      expect(criteria.role).toBeUndefined();
      expect(request.page).toBe(1);
      expect(fields).toEqual(["email", "role"]);
    }
  });

  it("never looks up an unverified address, and grants nothing through it", async () => {
    const { client, calls } = fakeClient([{ list_id: LIST, email: "boss@example.org", role: "owner" }]);
    const me = viewer([
      { email: "me@example.org", verified: true },
      { email: "boss@example.org", verified: false },
    ]);
    const roles = await resolveListRoles(client, 1, LIST, me);
    expect(roles.size).toBe(0);
    expect(calls.map(([criteria]) => criteria.subscriber)).toEqual(["me@example.org"]);
  });

  it("costs nothing for a viewer without a verified address", async () => {
    const { client, calls } = fakeClient([{ list_id: LIST, email: "boss@example.org", role: "owner" }]);
    expect((await resolveListRoles(client, 1, LIST, viewer([{ email: "boss@example.org", verified: false }]))).size).toBe(0);
    expect(calls).toHaveLength(0);
  });

  it("keeps only memberships of the looked-up address when the core answers with more", async () => {
    // What a `*` in an address makes the core do: match it as a pattern.
    const client = {
      findMembers: async (): Promise<Page<Member>> => ({
        start: 0,
        total: 2,
        entries: [
          { email: "boss@example.org", role: "owner" },
          { email: "x*y@example.org", role: "member" },
        ],
      }),
    } as unknown as MailmanClient;
    expect(await resolveListRoles(client, 1, LIST, viewer([{ email: "x*y@example.org", verified: true }]))).toEqual(new Set(["member"]));
  });
});
