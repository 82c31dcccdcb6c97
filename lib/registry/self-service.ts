import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { listPreferences, people as peopleTable, provisionedLists } from "@/db/schema";
import { ConflictError } from "@/lib/errors";
import { inGroup, personListEligible } from "@/lib/provisioning/desired";
import { selfServiceInit, type InitReport } from "@/lib/provisioning/diff";
import { buildWorld, loadPeople, loadTarget, peopleOfGroups } from "@/lib/provisioning/facts";
import { clientForTarget } from "@/lib/targets/targets";
import { getEmailList } from "./registry";

/**
 * The IXP-style init of a self-service list (provisioning.md §8.6): preferences from who is on
 * the roster now, explicit preferences kept; it writes no Mailman state.
 */
export async function initSelfService(emailListId: number): Promise<Omit<InitReport, "set">> {
  const list = await getEmailList(emailListId);
  if (list.membershipMode !== "self_service") throw new ConflictError("Only self-service lists can be initialised.");
  const db = await getDb();
  const [mapping] = await db.select().from(provisionedLists).where(eq(provisionedLists.emailListId, emailListId));
  const target = await loadTarget(list.targetId);
  const world = await buildWorld(target, { listIds: [emailListId] });
  const ids = list.eligibilityGroupId ? await peopleOfGroups([list.eligibilityGroupId]) : (await db.select({ id: peopleTable.id }).from(peopleTable).where(isNull(peopleTable.deletedAt))).map((r) => r.id);
  const people = await loadPeople(ids);
  let roster: string[] = [];
  if (mapping) {
    const { client } = await clientForTarget(target.id);
    roster = (await client.fullRoster(mapping.mailmanListId, "member", ["email"], 1000)).map((m) => m.email ?? "");
  }
  const prefs = await db.select().from(listPreferences).where(and(eq(listPreferences.emailListId, emailListId), inArray(listPreferences.personId, [...people.keys(), -1])));
  const report = selfServiceInit(
    [...people.values()].map((p) => ({
      personId: p.id,
      addresses: p.addresses.map((a) => a.mail),
      eligible: personListEligible(p, world) && (list.eligibilityGroupId === null || inGroup(p, list.eligibilityGroupId, world)),
      pref: prefs.find((x) => x.personId === p.id)?.subscribed ?? null,
    })),
    roster,
  );
  for (const s of report.set) {
    await db
      .insert(listPreferences)
      .values({ personId: s.personId, emailListId, subscribed: s.subscribed, source: "init" })
      .onConflictDoUpdate({ target: [listPreferences.personId, listPreferences.emailListId], set: { subscribed: s.subscribed, source: "init", updatedAt: sql`now()` } });
  }
  return { subscribed: report.subscribed, skipped: report.skipped, unsubscribed: report.unsubscribed, unknown: report.unknown };
}
