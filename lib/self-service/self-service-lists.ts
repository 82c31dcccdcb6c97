import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { emailLists, provisionedLists, provisionerTargets, provisioningJobItems, provisioningJobs } from "@/db/schema";
import type { Viewer } from "@/lib/auth/users";
import { ForbiddenError } from "@/lib/errors";
import { myListPreferences, peopleOfViewer, setPreference } from "@/lib/registry/registry";
import { queryId } from "@/lib/validation/ids";

/**
 * Self-service lists (IXP model, provisioning.md §8.6) in a member's "My lists": the registry's
 * self-service email lists that a person linked to the account (a verified address in common) may
 * join, with the person's choice and how far its sync got. A toggle stores the preference and
 * queues one person run restricted to that list, dispatched at once, so it lands in seconds.
 */

export type SyncState = "syncing" | "done" | "failed";

export interface SelfServiceEntry {
  emailListId: number;
  name: string;
  description: string;
  targetName: string;
  fqdn: string | null;
  /** null: no choice made yet (nothing is changed in Mailman for them). */
  subscribed: boolean | null;
  sync: SyncState;
  /** The core's words when the last run for this list failed. */
  syncError: string | null;
}

export const selfServiceToggleSchema = z.object({ emailListId: queryId, subscribed: z.boolean() });

/** The latest person run of these people restricted to each list: still going, done, or failed. */
async function syncStates(personIds: readonly number[], listIds: readonly number[]): Promise<Map<number, { sync: SyncState; error: string | null }>> {
  const out = new Map<number, { sync: SyncState; error: string | null }>();
  if (personIds.length === 0 || listIds.length === 0) return out;
  const db = await getDb();
  const listKey = sql<number>`(${provisioningJobs.options} ->> 'onlyListId')::int`;
  const rows = await db
    .select({ id: provisioningJobs.id, listId: listKey, status: provisioningJobs.status, attempts: provisioningJobs.attempts, lastError: provisioningJobs.lastError })
    .from(provisioningJobs)
    .where(
      and(
        eq(provisioningJobs.subjectType, "person"),
        inArray(provisioningJobs.subjectId, [...personIds]),
        sql`${provisioningJobs.options} ? 'onlyListId'`,
        inArray(listKey, [...listIds]),
      ),
    )
    .orderBy(desc(provisioningJobs.id))
    .limit(500);
  for (const r of rows) {
    const listId = Number(r.listId);
    if (out.has(listId)) continue;
    if (r.status === "queued" || r.status === "running") {
      out.set(listId, { sync: "syncing", error: null });
      continue;
    }
    if (r.status === "succeeded") {
      out.set(listId, { sync: "done", error: null });
      continue;
    }
    // Partial or failed: the error of this list's own item, else the job's.
    const [item] = await db
      .select({ message: provisioningJobItems.message })
      .from(provisioningJobItems)
      .where(and(eq(provisioningJobItems.jobId, r.id), eq(provisioningJobItems.attempt, r.attempts), inArray(provisioningJobItems.outcome, ["error", "conflict"])))
      .limit(1);
    out.set(listId, { sync: "failed", error: item?.message ?? r.lastError ?? "The sync did not finish." });
  }
  return out;
}

export async function mySelfServiceLists(viewer: Pick<Viewer, "verifiedEmails">): Promise<SelfServiceEntry[]> {
  const { items } = await myListPreferences(viewer.verifiedEmails);
  if (items.length === 0) return [];
  const db = await getDb();
  const ids = items.map((i) => i.emailListId);
  const where = inArray(emailLists.id, ids);
  const meta = await db
    .select({ id: emailLists.id, targetName: provisionerTargets.name, fqdn: provisionedLists.fqdn })
    .from(emailLists)
    .innerJoin(provisionerTargets, eq(provisionerTargets.id, emailLists.targetId))
    .leftJoin(provisionedLists, eq(provisionedLists.emailListId, emailLists.id))
    .where(where);
  const states = await syncStates(await peopleOfViewer(viewer.verifiedEmails), ids);
  return items
    .map((i) => {
      const m = meta.find((x) => x.id === i.emailListId);
      const s = states.get(i.emailListId);
      return {
        emailListId: i.emailListId,
        name: i.name,
        description: i.description,
        targetName: m?.targetName ?? "",
        fqdn: m?.fqdn ?? null,
        subscribed: i.subscribed,
        sync: s?.sync ?? "done",
        syncError: s?.error ?? null,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Opt in or out for every person linked to the account; the jobs are queued and dispatched. */
export async function setMySelfServicePreference(viewer: Pick<Viewer, "verifiedEmails">, input: z.infer<typeof selfServiceToggleSchema>): Promise<{ jobIds: number[] }> {
  const people = await peopleOfViewer(viewer.verifiedEmails);
  if (people.length === 0) throw new ForbiddenError("Your account is not linked to a person of the registry.");
  const jobIds: number[] = [];
  let refused: unknown = null;
  let stored = 0;
  for (const personId of people) {
    try {
      jobIds.push(...(await setPreference(input.emailListId, personId, input.subscribed, "user")).jobIds);
      stored++;
    } catch (error) {
      // Another linked person outside the eligibility group: theirs is not stored, the others' are.
      if (!(error instanceof ForbiddenError)) throw error;
      refused = error;
    }
  }
  if (stored === 0 && refused) throw refused;
  return { jobIds };
}
