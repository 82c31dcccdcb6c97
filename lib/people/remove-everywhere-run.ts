import { noteChange } from "@/lib/audit";
import { pause } from "@/lib/jobs/pause";
import { logger } from "@/lib/logger";
import { MailmanError, MailmanTransportError, type MailmanClient } from "@/lib/mailman";
import { addBan } from "@/lib/mailman/bans";
import { removeMembersInBulk, removeRole } from "@/lib/mailman/members";
import { clientForTarget, StoredCredentialsError } from "@/lib/targets/targets";
import { lastOwnerAnswer, leavesNoOwner, removalAnswer, type ItemAnswer, type RemoveOutcome } from "./remove-plan";
import {
  claimJob,
  claimNextItem,
  countAttempt,
  finishJob,
  itemsInDoubt,
  jobItems,
  recordItem,
  releaseLease,
  renewLease,
  type RemoveEverywhereItem,
  type RemoveEverywhereJob,
} from "./remove-everywhere-store";

/**
 * Runs one "remove everywhere" job in a worker (the `remove_everywhere` kind of lib/jobs/kinds.ts).
 * Items are taken one at a time in report order (a person is on tens of lists, not thousands) and
 * each costs few core calls, pinned in remove-everywhere.int.test.ts:
 *
 * - member: 1 (`DELETE /lists/{id}/roster/member`, the core's quiet removal, answering whether the
 *   address was a member: no workflow, no goodbye, as `mailman delmembers` without options);
 * - moderator: 1 (`DELETE /lists/{id}/moderator/{address}`, 404 when it is not one any more);
 * - owner: 2 (the owner roster, then the removal, refused when no other owner would be left: the
 *   core would remove the last owner, Q-12);
 * - global ban: 1 per server and address (`POST /bans`; "already banned" is an outcome).
 *
 * Every call is safe to repeat, so an item left `sending` by a worker that died is simply sent
 * again, its answer read as in doubt ("gone now" means our first call removed it). Transport errors
 * and 5xx answers are retried (4 attempts in all); any other refusal is reported with the core's
 * words.
 */

export interface RemoveRunOptions {
  workerId: string;
  leaseMs?: number;
  signal?: AbortSignal;
  retryDelayMs?: number;
  /** Called after each item is recorded (tests stop a worker mid-way with it). */
  onItem?: (jobId: number, position: number) => void | Promise<void>;
}

export type RemoveRunResult = "finished" | "busy" | "stopped" | "lease-lost";

const MAX_ATTEMPTS = 4;

const retryable = (error: unknown) => error instanceof MailmanTransportError || (error instanceof MailmanError && error.isTransient);

function errorWords(error: unknown): string {
  if (error instanceof MailmanError || error instanceof MailmanTransportError) return error.userMessage;
  if (error instanceof StoredCredentialsError) return error.message;
  return "Unexpected error (see the worker's log)";
}

class Clients {
  private readonly byTarget = new Map<number, Promise<MailmanClient>>();
  get(targetId: number): Promise<MailmanClient> {
    let client = this.byTarget.get(targetId);
    if (!client) {
      client = clientForTarget(targetId).then((c) => c.client);
      this.byTarget.set(targetId, client);
    }
    return client;
  }
}

async function removeOwner(client: MailmanClient, item: RemoveEverywhereItem, sameList: readonly string[], inDoubt: boolean): Promise<ItemAnswer> {
  const listId = item.listId!;
  const owners = (await client.fullRoster(listId, "owner", ["email"])).map((m) => (m.email ?? "").toLowerCase());
  if (!owners.includes(item.email)) return removalAnswer(false, inDoubt);
  if (leavesNoOwner(owners, sameList)) return lastOwnerAnswer(listId);
  return removeRoleAnswer(client, listId, "owner", item.email, inDoubt);
}

async function removeRoleAnswer(client: MailmanClient, listId: string, role: "owner" | "moderator", email: string, inDoubt: boolean): Promise<ItemAnswer> {
  try {
    await removeRole(client, listId, role, email);
    return removalAnswer(true, inDoubt);
  } catch (error) {
    if (error instanceof MailmanError && error.status === 404) return removalAnswer(false, inDoubt);
    throw error;
  }
}

async function ban(client: MailmanClient, email: string, inDoubt: boolean): Promise<ItemAnswer> {
  try {
    await addBan(client, "global", email);
    return { outcome: "banned", detail: null };
  } catch (error) {
    if (error instanceof MailmanError && error.status === 400 && /already banned/i.test(error.description ?? "")) {
      return inDoubt ? { outcome: "banned", detail: "Banned when checked again after an interrupted attempt" } : { outcome: "already_banned", detail: "Already refused by a site-wide ban or pattern" };
    }
    throw error;
  }
}

/** One item's calls; throws what the core or the network answered. */
async function perform(clients: Clients, item: RemoveEverywhereItem, ownersOnList: (item: RemoveEverywhereItem) => string[], inDoubt: boolean): Promise<ItemAnswer> {
  if (item.targetId === null) return { outcome: "failed", detail: `The server ${item.targetName} was removed from Listkeeper` };
  const client = await clients.get(item.targetId);
  if (item.kind === "ban") return ban(client, item.email, inDoubt);
  const listId = item.listId!;
  if (item.role === "member") {
    const removed = await removeMembersInBulk(client, listId, [item.email]);
    return removalAnswer(removed.get(item.email) === true, inDoubt);
  }
  if (item.role === "owner") return removeOwner(client, item, ownersOnList(item), inDoubt);
  return removeRoleAnswer(client, listId, "moderator", item.email, inDoubt);
}

export async function runRemoveEverywhereJob(jobId: number, options: RemoveRunOptions): Promise<RemoveRunResult> {
  const leaseMs = options.leaseMs ?? 10_000;
  const job = await claimJob(jobId, options.workerId, leaseMs);
  if (!job) return "busy";
  const log = logger.child({ removeEverywhereJob: jobId, worker: options.workerId });
  let leaseLost = false;
  const heartbeat = setInterval(() => {
    renewLease(jobId, options.workerId, leaseMs)
      .then((held) => {
        if (!held) leaseLost = true;
      })
      .catch((error) => log.warn({ err: error }, "could not renew the job's lease"));
  }, Math.max(250, Math.floor(leaseMs / 4)));

  try {
    const items = await jobItems(jobId);
    // The person's owner addresses per list: removing all of them must leave another owner.
    const owners = new Map<string, string[]>();
    for (const i of items) {
      if (i.kind !== "membership" || i.role !== "owner") continue;
      const key = `${i.targetId}:${i.listId}`;
      owners.set(key, [...(owners.get(key) ?? []), i.email]);
    }
    const ownersOnList = (i: RemoveEverywhereItem) => owners.get(`${i.targetId}:${i.listId}`) ?? [i.email];
    const clients = new Clients();

    /** False when the run must stop (asked to, or the lease is gone) with the item still in doubt. */
    const handle = async (item: RemoveEverywhereItem, inDoubt: boolean): Promise<boolean> => {
      let attempts = item.attempts;
      for (;;) {
        let answer: ItemAnswer;
        try {
          answer = await perform(clients, item, ownersOnList, inDoubt || attempts > 1);
        } catch (error) {
          if (!retryable(error) || attempts >= MAX_ATTEMPTS) {
            if (!retryable(error) && !(error instanceof MailmanError) && !(error instanceof StoredCredentialsError)) log.error({ err: error, position: item.position }, "remove everywhere item failed");
            answer = { outcome: "failed", detail: errorWords(error) };
          } else {
            await pause((options.retryDelayMs ?? 1_000) * attempts, options.signal);
            if (options.signal?.aborted || leaseLost) return false;
            attempts += 1;
            await countAttempt(jobId, item.position);
            continue;
          }
        }
        await recordItem(jobId, item.position, answer.outcome, answer.detail);
        await options.onItem?.(jobId, item.position);
        return true;
      }
    };

    for (const item of await itemsInDoubt(jobId)) {
      if (options.signal?.aborted || leaseLost) break;
      await countAttempt(jobId, item.position);
      if (!(await handle({ ...item, attempts: item.attempts + 1 }, true))) break;
    }
    while (!options.signal?.aborted && !leaseLost) {
      const item = await claimNextItem(jobId);
      if (!item) break;
      if (!(await handle(item, false))) break;
    }
    if (leaseLost) {
      log.warn("remove everywhere lease lost: another worker carries on");
      return "lease-lost";
    }
    if (options.signal?.aborted) {
      await releaseLease(jobId, options.workerId);
      return "stopped";
    }
    const remaining = (await jobItems(jobId)).filter((i) => i.state !== "done");
    if (remaining.length > 0) {
      // Items still in doubt (the worker was asked to stop during a retry pause): next run.
      await releaseLease(jobId, options.workerId);
      return "stopped";
    }
    await finishJob(jobId, options.workerId, "done");
    await auditFinished(job);
    return "finished";
  } finally {
    clearInterval(heartbeat);
  }
}

async function auditFinished(job: RemoveEverywhereJob): Promise<void> {
  const outcomes: Partial<Record<RemoveOutcome, number>> = {};
  for (const item of await jobItems(job.id)) {
    const o = item.outcome as RemoveOutcome | null;
    if (o) outcomes[o] = (outcomes[o] ?? 0) + 1;
  }
  await noteChange({
    onBehalfOf: job.createdBy,
    action: "people.remove_everywhere.finished",
    subject: job.address,
    detail: { jobId: job.id, outcomes, outcome: outcomes.failed ? "partial" : "ok" },
  });
}
