import { beforeAll, describe, expect, it } from "vitest";
import { authorizeList, type ListAccess } from "@/lib/auth/list-access";
import type { Viewer } from "@/lib/auth/users";
import { addListBan } from "@/lib/bans/bans";
import type { MailmanClient } from "@/lib/mailman";
import { loadSettingsSection, saveSettings } from "@/lib/settings/settings";
import { sectionFields } from "@/lib/settings/catalogue";
import { toFormValues } from "@/lib/settings/values";
import type { TargetSummary } from "@/lib/targets/targets";
import { testClient, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { auditCsvLines } from "./csv";
import { auditDoor, withAuditScope } from "./record";
import { recordSignIn } from "./sign-in";
import { allAuditRows, parseAuditFilter, searchAuditLog } from "./search";

let superuser: Viewer;
let target: TargetSummary;
let core: MailmanClient;

beforeAll(async () => {
  superuser = await makeUser({ superuser: true });
  target = await makeTarget(superuser);
  core = testClient();
});

async function ownedList(owner: Viewer): Promise<ListAccess> {
  const listId = await core.createList({ fqdnListname: `${uniqueName("audit")}@${target.domain}` });
  await core.subscribe({ listId, subscriber: owner.verifiedEmails[0]!, role: "owner", preVerified: true, preConfirmed: true, preApproved: true });
  return authorizeList(owner, target.id, listId, "administer");
}

async function setMaxSize(access: ListAccess, size: number) {
  const view = await loadSettingsSection(access, "message-acceptance");
  const values = { ...toFormValues(sectionFields("message-acceptance", view.archivers), view.values), max_message_size: String(size) };
  return saveSettings(access, { targetId: access.target.id, listId: access.list.list_id, section: "message-acceptance" as const, etag: view.etag, original: view.values, values });
}

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

describe("audit log", () => {
  it("records a settings change made in the core with its list, actor and old → new, and an owner reads only their list", async () => {
    const owner = await makeUser();
    const mine = await ownedList(owner);
    const other = await ownedList(await makeUser());
    const before = Number((await core.getListConfig(mine.list.list_id)).max_message_size);
    // At the console: the server action's audit scope of the owner (lib/actions/safe-action.ts).
    expect((await withAuditScope(auditDoor.user(owner.id), () => setMaxSize(mine, before + 17))).status).toBe("saved");
    expect(Number((await core.getListConfig(mine.list.list_id)).max_message_size)).toBe(before + 17);
    await addListBan(other, { targetId: other.target.id, listId: other.list.list_id, email: "spam@example.org" });

    const ownerView = await searchAuditLog({}, { kind: "list", targetId: mine.target.id, listId: mine.list.list_id });
    expect(ownerView.rows.map((r) => r.action)).toEqual(["list.settings.update"]);
    const [row] = ownerView.rows;
    expect(row).toMatchObject({ actorKind: "user", actorEmail: owner.verifiedEmails[0], listId: mine.list.list_id, targetName: target.name, outcome: "ok" });
    const changes = row!.detail.changes as { key: string; from: unknown; to: unknown }[];
    expect(changes.map((c) => [c.key, String(c.from), String(c.to)])).toEqual([["max_message_size", String(before), String(before + 17)]]);

    // The superuser's view filters by list and by action family.
    const { filter } = parseAuditFilter({ list: other.list.list_id.toUpperCase(), action: "ban." });
    const site = await searchAuditLog(filter, { kind: "all" });
    expect(site.rows.map((r) => [r.listId, r.action])).toEqual([[other.list.list_id, "ban.add"]]);
  });

  it("attributes changes made through another door (an API token) to it, filters by actor and exports CSV", async () => {
    const owner = await makeUser();
    const access = await ownedList(owner);
    await withAuditScope(auditDoor.apiToken(owner.id, "ci-sync"), () => addListBan(access, { targetId: access.target.id, listId: access.list.list_id, email: "=cmd@example.org" }));
    await withAuditScope(auditDoor.user(owner.id), () => addListBan(access, { targetId: access.target.id, listId: access.list.list_id, email: "person@example.org" }));

    const scope = { kind: "list" as const, targetId: access.target.id, listId: access.list.list_id };
    const byToken = await searchAuditLog(parseAuditFilter({ actor: "CI-SYNC" }).filter, scope);
    expect(byToken.rows.map((r) => [r.actorKind, r.actorLabel, r.detail.email])).toEqual([["api_token", "ci-sync", "=cmd@example.org"]]);
    // A token acts for the account that made it: that person's filter finds both, "at the console" one.
    const byPerson = await searchAuditLog(parseAuditFilter({ actor: owner.verifiedEmails[0]! }).filter, scope);
    expect(byPerson.rows.map((r) => r.detail.email)).toEqual(["person@example.org", "=cmd@example.org"]);
    const atConsole = await searchAuditLog(parseAuditFilter({ actor: owner.verifiedEmails[0]!, actorKind: "user" }).filter, scope);
    expect(atConsole.rows.map((r) => r.detail.email)).toEqual(["person@example.org"]);

    const lines = await collect(auditCsvLines(allAuditRows({}, scope, 1)));
    expect(lines[0]).toBe("time_utc,actor,actor_kind,server,list,action,action_name,outcome,summary\r\n");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`${owner.verifiedEmails[0]},user,`);
    // The address a spammer chose is a formula in a spreadsheet unless neutralised.
    expect(lines[2]).toContain("API token ci-sync,api_token,");
    expect(lines[2]).toContain(",'=cmd@example.org\r\n");
  });

  it("pages newest first and reports filters it could not read instead of ignoring them silently", async () => {
    const owner = await makeUser();
    const access = await ownedList(owner);
    for (let i = 1; i <= 3; i++) await setMaxSize(access, 1000 + i);
    const scope = { kind: "list" as const, targetId: access.target.id, listId: access.list.list_id };
    const second = await searchAuditLog({ page: 2 }, scope, 2);
    expect([second.total, second.page, second.pages]).toEqual([3, 2, 2]);
    expect(second.rows.map((r) => String((r.detail.changes as { to: unknown }[])[0]!.to))).toEqual(["1001"]);

    const parsed = parseAuditFilter({ from: "2026-13-45", action: "nonsense", to: "2026-11-30" });
    expect(Object.keys(parsed.errors).sort()).toEqual(["action", "from"]);
    expect(parsed.filter).toEqual({ to: "2026-11-30" });
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect((await searchAuditLog({ from: tomorrow }, scope)).total).toBe(0);
  });

  it("records superusers' sign-ins, not members'", async () => {
    const member = await makeUser();
    await recordSignIn(superuser.id, "password");
    await recordSignIn(member.id, "password");
    const rows = await searchAuditLog(parseAuditFilter({ action: "auth.sign_in", actor: superuser.verifiedEmails[0]! }).filter, { kind: "all" });
    expect(rows.rows.map((r) => [r.actorEmail, r.detail.method])).toEqual([[superuser.verifiedEmails[0], "password"]]);
    const memberRows = await searchAuditLog(parseAuditFilter({ action: "auth.sign_in", actor: member.verifiedEmails[0]! }).filter, { kind: "all" });
    expect(memberRows.total).toBe(0);
  });
});
