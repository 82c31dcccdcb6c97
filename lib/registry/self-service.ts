import { createHash } from "node:crypto";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { listPreferences, people as peopleTable, provisionedLists } from "@/db/schema";
import { ConflictError } from "@/lib/errors";
import { inGroup, personListEligible } from "@/lib/provisioning/desired";
import { selfServiceInit, type InitReport } from "@/lib/provisioning/diff";
import { buildWorld, loadPeople, loadTarget, peopleOfGroups } from "@/lib/provisioning/facts";
import { clientForTarget } from "@/lib/targets/targets";
import { getEmailList } from "./registry";

export interface InitPlan extends Omit<InitReport, "set"> {
  emailListId: number;
  /** The preferences init would write: one per eligible person without one. */
  set: InitReport["set"];
  /** SHA-256 of what would be written: applying refuses when the registry or roster moved since the preview. */
  fingerprint: string;
}

/**
 * The IXP-style init of a self-service list (provisioning.md §8.6), computed and not saved:
 * preferences from who is on the roster now, explicit preferences kept (an opt-out is never
 * undone). It writes no Mailman state, ever.
 */
export async function planSelfServiceInit(emailListId: number): Promise<InitPlan> {
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
  const set = [...report.set].sort((a, b) => a.personId - b.personId);
  const fingerprint = createHash("sha256").update(JSON.stringify(set)).digest("hex");
  return { emailListId, subscribed: report.subscribed, skipped: report.skipped, unsubscribed: report.unsubscribed, unknown: report.unknown, set, fingerprint };
}

/**
 * Saves an init: recomputed, and refused when it differs from the previewed one. Only people
 * still without a preference get one (`on conflict … where subscribed is null`), so an opt-out
 * made between preview and save stays.
 */
export async function applySelfServiceInit(emailListId: number, fingerprint?: string): Promise<Omit<InitPlan, "set" | "fingerprint"> & { saved: number }> {
  const plan = await planSelfServiceInit(emailListId);
  if (fingerprint !== undefined && fingerprint !== plan.fingerprint) throw new ConflictError("The registry or the roster changed since the preview: preview again.");
  const db = await getDb();
  let saved = 0;
  for (const s of plan.set) {
    const rows = await db
      .insert(listPreferences)
      .values({ personId: s.personId, emailListId, subscribed: s.subscribed, source: "init" })
      .onConflictDoUpdate({
        target: [listPreferences.personId, listPreferences.emailListId],
        set: { subscribed: s.subscribed, source: "init", updatedAt: sql`now()` },
        setWhere: sql`${listPreferences.subscribed} is null`,
      })
      .returning({ id: listPreferences.personId });
    saved += rows.length;
  }
  const { set: _set, fingerprint: _fp, ...report } = plan;
  return { ...report, saved };
}

/** POST /email-lists/{id}/init: plan and save in one step, answering the report (api-v1.md). */
export async function initSelfService(emailListId: number): Promise<Omit<InitReport, "set">> {
  const { subscribed, skipped, unsubscribed, unknown } = await applySelfServiceInit(emailListId);
  return { subscribed, skipped, unsubscribed, unknown };
}
