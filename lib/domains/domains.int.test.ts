import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { auditDoor, withAuditScope } from "@/lib/audit";
import type { Viewer } from "@/lib/auth/users";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { withMailmanCallLog, type MailmanClient } from "@/lib/mailman";
import type { TargetSummary } from "@/lib/targets/targets";
import { testClient, uniqueName, whenCoreFree } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { createDomain, deleteDomain, domainDeletionPreview, listDomains, updateDomain } from "./domains";

let superuser: Viewer;
let target: TargetSummary;
let core: MailmanClient;

beforeAll(async () => {
  superuser = await makeUser({ superuser: true });
  target = await makeTarget(superuser);
  core = testClient();
});

const newHost = () => `${uniqueName("dom")}.example.test`;

async function auditRows(action: string, subject: string) {
  const db = await getDb();
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.subject, subject)));
}

async function makeLists(mailHost: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await whenCoreFree(() => core.createList({ fqdnListname: `${uniqueName("l")}@${mailHost}` })));
  return ids;
}

describe("createDomain", () => {
  it("creates the domain in the core with its description and alias, and audits it", async () => {
    const mailHost = newHost();
    await withAuditScope(auditDoor.user(superuser.id), () =>
      createDomain({ targetId: target.id, mailHost: `  ${mailHost.toUpperCase()} `, description: "Research groups", aliasDomain: "" }),
    );
    expect(await core.getDomain(mailHost)).toMatchObject({ mail_host: mailHost, description: "Research groups" });
    const [audit] = await auditRows("domain.create", mailHost);
    expect(audit).toMatchObject({ actorUserId: superuser.id, targetId: target.id });

    const withAlias = newHost();
    await createDomain({ targetId: target.id, mailHost: withAlias, aliasDomain: "Alias.Example.TEST" });
    expect((await core.getDomain(withAlias))?.alias_domain).toBe("alias.example.test");
  });

  it("rejects a host the core would accept (\"bad domain\") without calling the core", async () => {
    const { result, calls } = await withMailmanCallLog(() =>
      createDomain({ targetId: target.id, mailHost: "bad domain", description: "" }).then(
        () => null,
        (e: unknown) => e,
      ),
    );
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(/cannot contain spaces/);
    expect(calls).toEqual([]);
    expect(await core.getDomain("bad domain")).toBeNull();
  });

  it("rejects a bad alias domain", async () => {
    await expect(createDomain({ targetId: target.id, mailHost: newHost(), aliasDomain: "not an alias" })).rejects.toThrow(/spaces/);
  });

  it("reports a duplicate as a conflict on the mail host field", async () => {
    const mailHost = newHost();
    await createDomain({ targetId: target.id, mailHost });
    const error = await createDomain({ targetId: target.id, mailHost }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ field: "mailHost", message: expect.stringContaining(mailHost) });
  });

  it("reports an unknown target as not found", async () => {
    await expect(createDomain({ targetId: 999_999, mailHost: newHost() })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("listDomains", () => {
  it("lists the target's domains sorted, with their list counts", async () => {
    const mailHost = newHost();
    await core.createDomain({ mailHost, description: "counted" });
    await makeLists(mailHost, 2);
    const domains = await listDomains(target.id);
    expect(domains.find((d) => d.mailHost === mailHost)).toEqual({ mailHost, description: "counted", aliasDomain: "", listCount: 2 });
    expect(domains.find((d) => d.mailHost === target.domain)).toBeDefined();
    const hosts = domains.map((d) => d.mailHost);
    expect(hosts).toEqual([...hosts].sort((a, b) => a.localeCompare(b)));
  });
});

describe("updateDomain", () => {
  it("changes the description and alias domain, and clears the alias again", async () => {
    const mailHost = newHost();
    await core.createDomain({ mailHost, description: "before" });
    await updateDomain({ targetId: target.id, mailHost, description: "after", aliasDomain: "alias-after.example.test" });
    expect(await core.getDomain(mailHost)).toMatchObject({ description: "after", alias_domain: "alias-after.example.test" });
    await updateDomain({ targetId: target.id, mailHost, description: "after", aliasDomain: "" });
    expect((await core.getDomain(mailHost))?.alias_domain ?? "").toBe("");
    expect(await auditRows("domain.update", mailHost)).toHaveLength(2);
  });

  it("reports a domain that does not exist", async () => {
    await expect(updateDomain({ targetId: target.id, mailHost: newHost(), description: "x" })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("domainDeletionPreview and deleteDomain", () => {
  it("counts the lists and names the first ten", async () => {
    const mailHost = newHost();
    await core.createDomain({ mailHost });
    const lists = await makeLists(mailHost, 12);
    const preview = await domainDeletionPreview(target.id, mailHost);
    expect(preview.mailHost).toBe(mailHost);
    expect(preview.listCount).toBe(12);
    expect(preview.firstLists).toHaveLength(10);
    const fqdns = lists.map((id) => `${id.slice(0, id.length - mailHost.length - 1)}@${mailHost}`);
    for (const name of preview.firstLists) expect(fqdns).toContain(name);
  });

  it("previews an empty domain and refuses an unknown one", async () => {
    const mailHost = newHost();
    await core.createDomain({ mailHost });
    expect(await domainDeletionPreview(target.id, mailHost)).toEqual({ mailHost, listCount: 0, firstLists: [] });
    await expect(domainDeletionPreview(target.id, newHost())).rejects.toBeInstanceOf(NotFoundError);
  });

  it("needs the mail host typed, then deletes the domain and its lists", async () => {
    const mailHost = newHost();
    await core.createDomain({ mailHost });
    const lists = await makeLists(mailHost, 3);

    const wrong = deleteDomain({ targetId: target.id, mailHost, confirm: "example.test" });
    await expect(wrong).rejects.toBeInstanceOf(InvalidInputError);
    await expect(wrong).rejects.toMatchObject({ field: "confirm" });
    expect(await core.getDomain(mailHost)).not.toBeNull();
    expect(await core.getList(lists[0]!)).not.toBeNull();

    const deleted = withAuditScope(auditDoor.user(superuser.id), () => deleteDomain({ targetId: target.id, mailHost, confirm: ` ${mailHost.toUpperCase()} ` }));
    expect(await deleted).toEqual({ listsDeleted: 3 });
    expect(await core.getDomain(mailHost)).toBeNull();
    for (const listId of lists) expect(await core.getList(listId)).toBeNull();
    const [audit] = await auditRows("domain.delete", mailHost);
    expect(audit).toMatchObject({ actorUserId: superuser.id, targetId: target.id, detail: { listsDeleted: 3 } });
  });

  it("reports a domain that is already gone", async () => {
    const mailHost = newHost();
    await expect(deleteDomain({ targetId: target.id, mailHost, confirm: mailHost })).rejects.toBeInstanceOf(NotFoundError);
  });
});
