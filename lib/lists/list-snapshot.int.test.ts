import { and, eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { listSnapshotRefreshes, listSnapshots } from "@/db/schema";
import { authorizeList } from "@/lib/auth/list-access";
import type { Viewer } from "@/lib/auth/users";
import { withMailmanCallLog, type MailmanClient } from "@/lib/mailman";
import type { TargetSummary } from "@/lib/targets/targets";
import { testClient, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { loadListIndex } from "./list-index";
import { ensureSnapshots, refreshAllSnapshots, refreshTargetSnapshot, SNAPSHOT_MAX_AGE_MS, VIEW_REFRESH_AGE_MS } from "./list-snapshot";
import { sectionFields } from "@/lib/settings/catalogue";
import { loadSettingsSection, saveSettings } from "@/lib/settings/settings";
import { toFormValues } from "@/lib/settings/values";
import { createList, deleteList } from "./lists";

/** The list index's snapshot against a real core and database (issue 13). */
let core: MailmanClient;
let superuser: Viewer;
let target: TargetSummary;

beforeAll(async () => {
  core = testClient();
  superuser = await makeUser({ superuser: true });
  target = await makeTarget(superuser);
});

const query = (q: string, page = 1, pageSize = 25) => ({ q, page, pageSize, targetId: target.id });
const ids = (result: { entries: { listId: string }[] }) => result.entries.map((e) => e.listId);

describe("list index snapshot", () => {
  it("reads a server on its first view, then answers from the copy until a refresh sees what changed in the core", async () => {
    const tag = uniqueName("snap");
    const first = await core.createList({ fqdnListname: `${tag}-a@${target.domain}` });
    expect(ids(await loadListIndex(superuser, query(tag)))).toEqual([first]);

    // Made behind Listkeeper's back: not shown until the copy is refreshed.
    const second = await core.createList({ fqdnListname: `${tag}-b@${target.domain}` });
    await core.subscribe({ listId: first, subscriber: `${uniqueName("m")}@people.example.test`, preVerified: true, preConfirmed: true, preApproved: true });
    const { result: stale, calls } = await withMailmanCallLog(() => loadListIndex(superuser, query(tag)));
    expect(ids(stale)).toEqual([first]);
    expect(calls).toEqual([]);

    await refreshTargetSnapshot(target.id);
    const fresh = await loadListIndex(superuser, query(tag));
    expect(ids(fresh)).toEqual([first, second]);
    expect(fresh.entries[0]?.memberCount).toBe(1);

    await core.deleteList(second);
    await refreshTargetSnapshot(target.id);
    expect(ids(await loadListIndex(superuser, query(tag)))).toEqual([first]);
  });

  it("a refresh rewrites only the rows of lists that changed in the core", async () => {
    const tag = uniqueName("quiet");
    const still = await core.createList({ fqdnListname: `${tag}-still@${target.domain}` });
    const edited = await core.createList({ fqdnListname: `${tag}-edited@${target.domain}` });
    await refreshTargetSnapshot(target.id);
    const db = await getDb();
    const rows = async () =>
      new Map(
        (await db.select().from(listSnapshots).where(and(eq(listSnapshots.targetId, target.id), like(listSnapshots.listId, `${tag}-%`)))).map((r) => [r.listId, r]),
      );
    const before = await rows();
    await core.patchListConfig(edited, { description: `Now with a description ${tag}` });
    await refreshTargetSnapshot(target.id);
    const after = await rows();
    expect(after.get(still)!.seenAt).toEqual(before.get(still)!.seenAt);
    expect(after.get(edited)!.seenAt.getTime()).toBeGreaterThan(before.get(edited)!.seenAt.getTime());
    expect(after.get(edited)!.description).toBe(`Now with a description ${tag}`);
  });

  it("the workers' every-minute refresh reads every server: a list made in the core appears without a view's refresh", async () => {
    const tag = uniqueName("sched");
    expect(ids(await loadListIndex(superuser, query(tag)))).toEqual([]);
    const made = await core.createList({ fqdnListname: `${tag}@${target.domain}` });
    const result = await refreshAllSnapshots();
    expect(result.refreshed).toBeGreaterThanOrEqual(1);
    const { result: view, calls } = await withMailmanCallLog(() => loadListIndex(superuser, query(tag)));
    expect(ids(view)).toEqual([made]);
    expect(calls).toEqual([]);
  });

  it("shows Listkeeper's own changes at once: a created list, then its deletion", async () => {
    const tag = uniqueName("own");
    await loadListIndex(superuser, query(tag));
    const { listId } = await createList(
      { targetId: target.id, mailHost: target.domain, name: `${tag}-x`, styleName: "legacy-default", ownerEmail: superuser.verifiedEmails[0]!, description: "Made here", advertised: true }
    );
    const shown = await loadListIndex(superuser, query(tag));
    expect(shown.entries.map((e) => [e.listId, e.description, e.advertised])).toEqual([[listId, "Made here", true]]);

    // The same core registered a second time shows the list too, until it is deleted through either.
    const twin = await makeTarget(superuser);
    await refreshTargetSnapshot(twin.id);
    const onTwin = () => loadListIndex(superuser, { q: tag, page: 1, pageSize: 25, targetId: twin.id });
    expect(ids(await onTwin())).toEqual([listId]);

    const access = await authorizeList(superuser, target.id, listId, "administer");
    await deleteList(access, access.list.fqdn_listname);
    expect(ids(await loadListIndex(superuser, query(tag)))).toEqual([]);
    expect(ids(await onTwin())).toEqual([]);
  });

  it("shows a description and advertising saved in the settings at once, without asking the core again", async () => {
    const tag = uniqueName("set");
    const listId = await core.createList({ fqdnListname: `${tag}@${target.domain}` });
    await refreshTargetSnapshot(target.id);
    const access = await authorizeList(superuser, target.id, listId, "administer");
    const view = await loadSettingsSection(access, "identity");
    const values = { ...toFormValues(sectionFields("identity", view.archivers), view.values), description: "Freshly described", advertised: false };
    const { result, calls } = await withMailmanCallLog(() =>
      saveSettings(access, { targetId: target.id, listId, section: "identity", etag: view.etag, original: view.values, values }),
    );
    expect(result.status).toBe("saved");
    // The save's own calls (config read, conflict check, patch, re-read): none for the index.
    expect(calls.filter((c) => c.path.replace(/\?.*/, "") === `/lists/${listId}`)).toEqual([]);
    const plain = await makeUser();
    expect(ids(await loadListIndex(plain, query(tag)))).toEqual([]);
    const shown = await loadListIndex(superuser, query(tag));
    expect(shown.entries.map((e) => [e.description, e.advertised])).toEqual([["Freshly described", false]]);
  });

  it("searches for the text itself: % and _ are plain characters, not patterns", async () => {
    const tag = uniqueName("lit");
    const plain = await core.createList({ fqdnListname: `${tag}-plain@${target.domain}` });
    // The tag ends each description: other runs' lists on a shared core and database stay out.
    await core.patchListConfig(plain, { description: `Ten percent off, on topic ${tag}` });
    const marked = await core.createList({ fqdnListname: `${tag}-marked@${target.domain}` });
    await core.patchListConfig(marked, { description: `100% on_topic ${tag}` });
    await refreshTargetSnapshot(target.id);
    expect(ids(await loadListIndex(superuser, query(`% on_topic ${tag}`)))).toEqual([marked]);
    // As LIKE patterns these would also match the plain list's "on topic" and "n percent".
    expect(ids(await loadListIndex(superuser, query(`on_topic ${tag}`)))).toEqual([marked]);
    expect(ids(await loadListIndex(superuser, query(`n%t off, on topic ${tag}`)))).toEqual([]);
  });

  it("refreshes a copy older than its maximum age in the background, once however many views ask", async () => {
    const db = await getDb();
    await refreshTargetSnapshot(target.id);
    const [before] = await db.select().from(listSnapshotRefreshes).where(eq(listSnapshotRefreshes.targetId, target.id));
    // A copy the workers' minute schedule will refresh anyway is left to them.
    const { calls: leftToWorkers } = await withMailmanCallLog(() => ensureSnapshots([target.id], before!.refreshedAt!.getTime() + SNAPSHOT_MAX_AGE_MS + 1));
    expect(leftToWorkers).toEqual([]);
    const later = before!.refreshedAt!.getTime() + VIEW_REFRESH_AGE_MS + 1;
    const { calls } = await withMailmanCallLog(async () => {
      // The views answer at once; the refresh they started is the one in flight.
      await Promise.all([ensureSnapshots([target.id], later), ensureSnapshots([target.id], later)]);
      await refreshTargetSnapshot(target.id);
    });
    expect(calls.filter((c) => /\/lists(\?|$)/.test(c.path))).toHaveLength(1);
    const [after] = await db.select().from(listSnapshotRefreshes).where(eq(listSnapshotRefreshes.targetId, target.id));
    expect(after!.refreshedAt!.getTime()).toBeGreaterThan(before!.refreshedAt!.getTime());
  });

  it("reads last posts a few lists per refresh", async () => {
    const tag = uniqueName("post");
    const listId = await core.createList({ fqdnListname: `${tag}@${target.domain}` });
    await refreshTargetSnapshot(target.id);
    const entry = (await loadListIndex(superuser, query(tag))).entries[0];
    expect(entry?.listId).toBe(listId);
    // A list nobody wrote to has no last post (the core's "never" is year 1).
    expect(entry?.lastPostAt ?? null).toBeNull();
  });
});
