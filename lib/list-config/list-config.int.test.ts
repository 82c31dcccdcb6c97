import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { authorizeList, type ListAccess } from "@/lib/auth/list-access";
import type { Viewer } from "@/lib/auth/users";
import { ConflictError } from "@/lib/errors";
import { withMailmanCallLog, type MailmanClient } from "@/lib/mailman";
import { addBan } from "@/lib/mailman/bans";
import { addHeaderMatch } from "@/lib/mailman/header-matches";
import type { TargetSummary } from "@/lib/targets/targets";
import { saveTemplate } from "@/lib/templates/templates";
import { testClient, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { CONFIG_PARTS, parseConfigDocument, type ListConfigDocument } from "./document";
import { applyCopy, applyImport, exportListConfig, planImport, previewCopy } from "./list-config";

let superuser: Viewer;
let target: TargetSummary;
let core: MailmanClient;

beforeAll(async () => {
  superuser = await makeUser({ superuser: true });
  target = await makeTarget(superuser);
  core = testClient();
});

const pre = { preVerified: true, preConfirmed: true, preApproved: true } as const;
const all = { parts: [...CONFIG_PARTS], includeIdentity: false };

async function listOwnedBy(owner: Viewer, prefix: string): Promise<ListAccess> {
  const listId = await core.createList({ fqdnListname: `${uniqueName(prefix)}@${target.domain}` });
  await core.subscribe({ listId, subscriber: owner.verifiedEmails[0]!, role: "owner", ...pre });
  return authorizeList(owner, target.id, listId, "administer");
}

/** A configured list: settings, two header filters, bans, a template text, another owner and a moderator. */
async function configuredSource(owner: Viewer): Promise<ListAccess> {
  const access = await listOwnedBy(owner, "cfg-src");
  const listId = access.list.list_id;
  await core.patchListConfig(listId, { max_message_size: 123, subject_prefix: "[Source] ", description: "The source", reply_goes_to_list: "point_to_list", acceptable_aliases: ["alias@cfg.example"] });
  await addHeaderMatch(core, listId, { header: "x-spam-flag", pattern: "yes", action: "discard" });
  await addHeaderMatch(core, listId, { header: "subject", pattern: "viagra", action: "hold", tag: "spam" });
  await addBan(core, { listId }, "spammer@cfg.example");
  await addBan(core, { listId }, "^bot\\d+@.*");
  await saveTemplate({ targetId: target.id, scope: "list", scopeId: listId }, "list:member:regular:footer", "-- \nSent through the source list", owner.id);
  await core.subscribe({ listId, subscriber: "co-owner@cfg.example", role: "owner", ...pre });
  await core.subscribe({ listId, subscriber: "mod@cfg.example", role: "moderator", ...pre });
  return access;
}

/** The parts of a document a copy carries (identity settings and the export's own metadata aside). */
function comparable(doc: ListConfigDocument) {
  const { display_name: _d, description: _e, info: _i, subject_prefix: _s, ...settings } = doc.settings;
  return { settings, archivers: doc.archivers, headerFilters: doc.headerFilters, bans: [...doc.bans].sort(), templates: doc.templates, owners: [...doc.owners].sort(), moderators: doc.moderators };
}

describe("configuration as code", () => {
  it("exports a list's configuration as a versioned document that reads back through its schema", async () => {
    const owner = await makeUser();
    const source = await configuredSource(owner);
    const doc = await exportListConfig(source);
    const parsed = parseConfigDocument(JSON.stringify(doc));
    expect("document" in parsed && parsed.document).toEqual(doc);
    expect(doc.settings.max_message_size).toBe(123);
    expect(doc.settings).not.toHaveProperty("moderator_password");
    expect(doc.headerFilters).toEqual([
      { header: "x-spam-flag", pattern: "yes", action: "discard", tag: null },
      { header: "subject", pattern: "viagra", action: "hold", tag: "spam" },
    ]);
    expect(doc.bans.sort()).toEqual(["^bot\\d+@.*", "spammer@cfg.example"]);
    expect(doc.templates).toEqual([{ name: "list:member:regular:footer", text: "-- \nSent through the source list", published: false }]);
    expect(doc.owners.sort()).toEqual(["co-owner@cfg.example", owner.verifiedEmails[0]].sort());
    expect(doc.moderators).toEqual(["mod@cfg.example"]);
    // Members are never part of it.
    expect(JSON.stringify(doc)).not.toContain("member@");
  });

  it("previews every change an import makes, applies exactly those, and the list then exports like the source", async () => {
    const owner = await makeUser();
    const source = await configuredSource(owner);
    const doc = await exportListConfig(source);
    const dest = await listOwnedBy(owner, "cfg-dst");
    const destId = dest.list.list_id;
    await addHeaderMatch(core, destId, { header: "x-old", pattern: "rule", action: "reject" });
    await addBan(core, { listId: destId }, "old-ban@cfg.example");
    await core.subscribe({ listId: destId, subscriber: "reader@cfg.example", ...pre });
    await core.patchListConfig(destId, { subject_prefix: "[Dest] " });

    const { result: plan, calls } = await withMailmanCallLog(() => planImport(dest, doc, all));
    // The preview only reads.
    expect(calls.every((c) => c.method === "GET")).toBe(true);
    expect(plan.settings.changes.map((c) => c.key)).toEqual(expect.arrayContaining(["max_message_size", "reply_goes_to_list", "acceptable_aliases"]));
    expect(plan.settings.changes.find((c) => c.key === "max_message_size")).toMatchObject({ to: "123" });
    expect(plan.settings.skipped).toEqual(expect.arrayContaining(["Subject prefix", "Short description"]));
    expect(plan.headerFilters.add).toHaveLength(2);
    expect(plan.headerFilters.remove).toEqual([{ header: "x-old", pattern: "rule", action: "reject", tag: null }]);
    expect(plan.bans).toEqual({ add: expect.arrayContaining(["spammer@cfg.example", "^bot\\d+@.*"]), remove: ["old-ban@cfg.example"] });
    expect(plan.roles.add).toEqual(expect.arrayContaining([{ email: "co-owner@cfg.example", role: "owner" }, { email: "mod@cfg.example", role: "moderator" }]));
    expect(plan.roles.remove).toEqual([]);
    expect(plan.templates.lines).toEqual([{ name: "list:member:regular:footer", change: "save the text (kept in the template's history)" }]);

    const applied = await applyImport(dest, doc, { ...all, fingerprint: plan.fingerprint }, { action: "list.config.import", source: "file" });
    expect(applied.results.filter((r) => r.failed.length > 0)).toEqual([]);
    expect(applied.ok).toBe(true);

    const after = await exportListConfig(dest);
    expect(comparable(after)).toEqual(comparable(doc));
    expect(after.settings.subject_prefix).toBe("[Dest] ");
    // Members are untouched.
    expect((await core.fullRoster(destId, "member", ["email"])).map((m) => m.email)).toEqual(["reader@cfg.example"]);
    // Nothing is left to do.
    expect((await planImport(dest, doc, all)).empty).toBe(true);
    const db = await getDb();
    const audit = await db.select().from(auditEvents).where(and(eq(auditEvents.subject, destId), eq(auditEvents.action, "list.config.import")));
    expect(audit).toHaveLength(1);
  });

  it("refuses to apply when the list changed since the preview", async () => {
    const owner = await makeUser();
    const source = await configuredSource(owner);
    const doc = await exportListConfig(source);
    const dest = await listOwnedBy(owner, "cfg-race");
    const plan = await planImport(dest, doc, { parts: ["bans"], includeIdentity: false });
    await addBan(core, { listId: dest.list.list_id }, "sneaky@cfg.example");
    await expect(applyImport(dest, doc, { parts: ["bans"], includeIdentity: false, fingerprint: plan.fingerprint }, { action: "list.config.import", source: "file" })).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect((await exportListConfig(dest)).bans).toEqual(["sneaky@cfg.example"]);
  });

  it("copies settings from one list to others with a per-list preview and result; a list the owner does not run is refused", async () => {
    const owner = await makeUser();
    const source = await configuredSource(owner);
    const b = await listOwnedBy(owner, "cfg-b");
    const c = await listOwnedBy(owner, "cfg-c");
    const foreign = await listOwnedBy(await makeUser(), "cfg-foreign");
    const to = [b, c, foreign].map((a) => ({ targetId: target.id, listId: a.list.list_id }));
    const options = { parts: ["settings", "headerFilters"] as const, includeIdentity: false };

    const preview = await previewCopy(source, to, { parts: [...options.parts], includeIdentity: false });
    expect(preview.plans.map((p) => p.listId)).toEqual([b.list.list_id, c.list.list_id]);
    expect(preview.refused).toEqual([expect.objectContaining({ listId: foreign.list.list_id })]);
    const fingerprints = Object.fromEntries(preview.plans.map((p) => [`${p.targetId}:${p.listId}`, p.fingerprint]));

    const { results, refused } = await applyCopy(source, to, { parts: [...options.parts], includeIdentity: false, fingerprints });
    expect(results.map((r) => [r.listId, r.ok])).toEqual([
      [b.list.list_id, true],
      [c.list.list_id, true],
    ]);
    expect(refused).toHaveLength(1);
    for (const list of [b, c]) {
      const doc = await exportListConfig(list);
      expect(doc.settings.max_message_size).toBe(123);
      expect(doc.headerFilters).toHaveLength(2);
      // Parts not chosen are untouched.
      expect(doc.bans).toEqual([]);
      expect(doc.moderators).toEqual([]);
    }
  });
});
