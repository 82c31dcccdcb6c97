import { pause } from "@/lib/jobs/pause";
import { isDatabaseUnavailable } from "@/db/unavailable";
import pLimit, { type LimitFunction } from "p-limit";
import { noteChange } from "@/lib/audit";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { MailmanTransportError, type MailmanClient } from "@/lib/mailman";
import { removeMembersInBulk, unsubscribeAddress } from "@/lib/mailman/members";
import { allRequests } from "@/lib/mailman/requests";
import { clientForTarget } from "@/lib/targets/targets";
import {
  bulkRemoveOutcome,
  errorOutcome,
  isRetryable,
  subscribeOutcome,
  unsubscribeOutcome,
  type ItemResult,
  type SubscribeAnswer,
} from "./bulk-outcome";
import {
  cancelPendingItems,
  claimJob,
  claimPendingItems,
  countAttempt,
  finishJob,
  holdsLease,
  insertRosterItems,
  itemCount,
  itemsInDoubt,
  jobProgress,
  recordResults,
  releaseLease,
  renewLease,
  type BulkJob,
  type ClaimedItem,
} from "./bulk-store";
import { removeOptionsSchema, subscribeOptionsSchema, type RemoveOptions, type SubscribeOptions } from "./mass-input";

/**
 * Runs one bulk job to its end, in a worker process (lib/jobs/worker.ts). Items are claimed in
 * batches (`pending` → `sending`), sent with bounded parallelism, and recorded per batch in one
 * statement. A worker that dies leaves its batch `sending`; whoever takes the job next sends those
 * again first and reads the answers knowing they are in doubt (lib/members/bulk-outcome.ts), so no
 * address is lost or reported wrongly. The lease is renewed while the job runs; losing it (this
 * worker stalled and another took over) stops this run at the next batch.
 */

export interface RunOptions {
  workerId: string;
  leaseMs?: number;
  /** Parallel core calls of this job (the core has two REST workers by default). */
  concurrency?: number;
  /** Aborted when the worker is asked to stop: the current batch ends, the lease is released. */
  signal?: AbortSignal;
  /** Pause between retries of items the core could not be reached for. */
  retryDelayMs?: number;
  /**
   * How long after an item was last sent before a run sends it again when it is in doubt. A
   * killed worker's last requests may still be queued in the core: a re-send racing them made the
   * core answer 500 (`UNIQUE constraint failed: address.email`) and duplicated roster rows.
   */
  inDoubtGraceMs?: number;
  /** How long to wait for a core that does not answer before retrying counts (default 10 min). */
  corePatienceMs?: number;
  /** Called after each batch is recorded (the worker script prints progress with it). */
  onBatch?: (jobId: number, recorded: number) => void;
}

export type RunResult = "finished" | "busy" | "stopped" | "lease-lost" | "interrupted";

const SUBSCRIBE_BATCH = 40;
const REMOVE_CHUNK = 500;
const NOTIFY_BATCH = 40;
const MAX_ATTEMPTS = 4;
const ROSTER_PAGE = 1_000;
const IN_DOUBT_GRACE_MS = 8_000;

interface Claimed extends ClaimedItem {
  inDoubt: boolean;
}

type Outcome = ItemResult & { position: number };
/** `retry`: the core could not be reached; the item stays in doubt for a later attempt. */
type BatchResult = { done: Outcome[]; retry: Claimed[]; lastError?: unknown };

class JobContext {
  private pendingOwners: Promise<Map<string, string>> | null = null;
  private pendingUnsubscriptions: Promise<Set<string>> | null = null;
  /** Shared by the batches in flight, so the next batch's calls start as the last ones end. */
  readonly limit: LimitFunction;

  constructor(
    readonly job: BulkJob,
    readonly client: MailmanClient,
    concurrency: number,
  ) {
    this.limit = pLimit(concurrency);
  }

  /** Who a pending subscription of `email` waits for; the list's requests are read once per run. */
  async pendingOwner(email: string): Promise<string | null> {
    this.pendingOwners ??= allRequests(this.client, this.job.listId, { requestType: "subscription" }).then(
      (requests) => new Map(requests.map((r) => [(r.email ?? "").toLowerCase(), r.token_owner ?? "subscriber"])),
    );
    return (await this.pendingOwners).get(email.toLowerCase()) ?? null;
  }

  /** Whether the address is a member now: an in-doubt item is checked before it is sent again. */
  async isMember(email: string): Promise<boolean> {
    const page = await this.client.findMembers({ listId: this.job.listId, subscriber: email.toLowerCase(), role: "member" }, { count: 1, page: 1 }, ["email"]);
    return page.total > 0;
  }

  async hasPendingUnsubscription(email: string): Promise<boolean> {
    this.pendingUnsubscriptions ??= allRequests(this.client, this.job.listId, { requestType: "unsubscription" }).then(
      (requests) => new Set(requests.map((r) => (r.email ?? "").toLowerCase())),
    );
    return (await this.pendingUnsubscriptions).has(email.toLowerCase());
  }
}

async function subscribeBatch(ctx: JobContext, options: SubscribeOptions, items: readonly Claimed[]): Promise<BatchResult> {
  const result: BatchResult = { done: [], retry: [] };
  await Promise.all(
    items.map((item) =>
      ctx.limit(async () => {
        let answer: SubscribeAnswer;
        try {
          // In doubt (a dead worker's batch, or a 5xx whose effect is unknown): look before
          // sending again, so the core never sees the same address twice at once.
          if (item.inDoubt && (await ctx.isMember(item.email))) {
            result.done.push({ position: item.position, outcome: item.expectedMember ? "already_member" : "subscribed", detail: null });
            return;
          }
          const r = await ctx.client.subscribe({
            listId: ctx.job.listId,
            subscriber: item.email,
            displayName: item.displayName ?? undefined,
            deliveryMode: options.deliveryMode,
            preVerified: options.preVerified,
            preConfirmed: options.preConfirmed,
            preApproved: options.preApproved,
            invitation: options.invitation || undefined,
            sendWelcomeMessage: options.sendWelcome,
          });
          answer = r.kind === "subscribed" ? { kind: "subscribed" } : { kind: "pending", tokenOwner: r.tokenOwner };
        } catch (error) {
          if (isRetryable(error)) {
            result.retry.push(item);
            result.lastError = error;
            return;
          }
          answer = { kind: "error", error };
        }
        const outcome = await subscribeOutcome(answer, item, () => ctx.pendingOwner(item.email));
        result.done.push({ position: item.position, ...outcome });
      }),
    ),
  );
  return result;
}

async function bulkRemoveBatch(ctx: JobContext, items: readonly Claimed[]): Promise<BatchResult> {
  try {
    const answers = await removeMembersInBulk(
      ctx.client,
      ctx.job.listId,
      items.map((i) => i.email),
    );
    return { done: items.map((item) => ({ position: item.position, ...bulkRemoveOutcome(answers.get(item.email.toLowerCase()) === true, item) })), retry: [] };
  } catch (error) {
    if (isRetryable(error)) return { done: [], retry: [...items], lastError: error };
    return { done: items.map((item) => ({ position: item.position, ...errorOutcome(error) })), retry: [] };
  }
}

async function notifyRemoveBatch(ctx: JobContext, items: readonly Claimed[]): Promise<BatchResult> {
  const result: BatchResult = { done: [], retry: [] };
  await Promise.all(
    items.map((item) =>
      ctx.limit(async () => {
        try {
          // A repeated DELETE under a moderated unsubscription policy would file a second request.
          if (item.inDoubt && (await ctx.hasPendingUnsubscription(item.email))) {
            result.done.push({ position: item.position, ...unsubscribeOutcome({ kind: "pending" }, item) });
            return;
          }
          const answer = await unsubscribeAddress(ctx.client, ctx.job.listId, item.email.toLowerCase());
          result.done.push({ position: item.position, ...unsubscribeOutcome(answer, item) });
        } catch (error) {
          if (isRetryable(error)) {
            result.retry.push(item);
            result.lastError = error;
            return;
          }
          result.done.push({ position: item.position, ...errorOutcome(error) });
        }
      }),
    ),
  );
  return result;
}

/** Remove-all: the roster as it is when the job starts becomes the job's items. */
async function collectRoster(ctx: JobContext): Promise<void> {
  if ((await itemCount(ctx.job.id)) > 0) return;
  const members = await ctx.client.fullRoster(ctx.job.listId, "member", ["email", "display_name"], ROSTER_PAGE);
  const seen = new Set<string>();
  const items = [];
  for (const m of members) {
    const email = m.email ?? "";
    const key = email.toLowerCase();
    // One address subscribed both as itself and through its user is removed once.
    if (email === "" || seen.has(key)) continue;
    seen.add(key);
    items.push({ email, displayName: m.display_name ?? null, expectedMember: true });
  }
  await insertRosterItems(ctx.job.id, items);
}

/** How long a job waits for a core that stopped answering before its items count as failed. */
const CORE_PATIENCE_MS = 10 * 60_000;

/** Polls the core (a cheap read) with a growing pause until it answers, the worker stops or patience ends. */
async function waitForCore(client: MailmanClient, options: RunOptions, log: { info(obj: object, msg: string): void }): Promise<void> {
  const deadline = Date.now() + (options.corePatienceMs ?? CORE_PATIENCE_MS);
  for (let wait = options.retryDelayMs ?? 1_000; !options.signal?.aborted && Date.now() < deadline; wait = Math.min(wait * 2, 15_000)) {
    try {
      await client.versions();
      return;
    } catch (error) {
      if (!(error instanceof MailmanTransportError)) return;
      log.info({ retryInMs: wait }, "bulk job waiting for the Mailman core to answer again");
      await pause(wait, options.signal);
    }
  }
}

export async function runBulkJob(jobId: number, options: RunOptions): Promise<RunResult> {
  const leaseMs = options.leaseMs ?? 10_000;
  const job = await claimJob(jobId, options.workerId, leaseMs);
  if (!job) return "busy";
  const log = logger.child({ bulkJob: jobId, kind: job.kind, worker: options.workerId });
  let leaseLost = false;
  let cancel = job.cancelRequested;
  const heartbeat = setInterval(() => {
    renewLease(jobId, options.workerId, leaseMs)
      .then((state) => {
        if (!state.held) leaseLost = true;
        cancel ||= state.cancelRequested;
      })
      .catch((error) => log.warn({ err: error }, "could not renew the job's lease"));
  }, Math.max(250, Math.floor(leaseMs / 4)));

  try {
    const { client } = await clientForTarget(job.targetId);
    const ctx = new JobContext(job, client, options.concurrency ?? env.MAILMAN_CONCURRENCY);
    const subscribeOptions = job.kind === "subscribe" ? subscribeOptionsSchema.parse(job.options) : null;
    const removeOptions: RemoveOptions | null = job.kind === "remove" ? removeOptionsSchema.parse(job.options) : null;
    const wholeRoster = job.source === "roster";
    if (job.kind === "remove" && wholeRoster) await collectRoster(ctx);

    const runBatch = (items: Claimed[]): Promise<BatchResult> => {
      if (subscribeOptions) return subscribeBatch(ctx, subscribeOptions, items);
      return removeOptions?.notify ? notifyRemoveBatch(ctx, items) : bulkRemoveBatch(ctx, items);
    };
    const batchSize = job.kind === "subscribe" ? SUBSCRIBE_BATCH : removeOptions?.notify ? NOTIFY_BATCH : REMOVE_CHUNK;
    // Per-address calls keep a second batch in flight so the parallel calls never drain between
    // batches; bulk removal sends one chunk at a time (the core serialises them anyway).
    const batchesInFlight = job.kind === "subscribe" || removeOptions?.notify ? 2 : 1;
    let lastError: unknown;

    const settle = async (result: BatchResult) => {
      await recordResults(jobId, result.done);
      if (result.retry.length > 0) lastError = result.lastError;
      options.onBatch?.(jobId, result.done.length);
    };

    log.info({ total: job.total }, "bulk job started");
    for (let round = 0; ; round++) {
      // Items left in doubt: by a dead worker (first round) or by the core being unreachable.
      const doubtful = (await itemsInDoubt(jobId)).map((item) => ({ ...item, inDoubt: true }));
      const exhausted = doubtful.filter((item) => item.attempts >= MAX_ATTEMPTS);
      if (exhausted.length > 0) {
        const failure = errorOutcome(lastError ?? new Error("The Mailman core could not be reached."));
        await recordResults(
          jobId,
          exhausted.map((item) => ({ position: item.position, outcome: "failed", detail: failure.detail })),
        );
      }
      const retry = doubtful.filter((item) => item.attempts < MAX_ATTEMPTS);
      if (round > 0 && retry.length > 0) {
        await pause((options.retryDelayMs ?? 1_000) * round, options.signal);
        // A core that does not answer at all (restarting, crashed) gets time to come back before
        // the next attempt counts: a few quick retries would otherwise report every address of
        // the outage as failed although nothing is wrong with them.
        if (lastError instanceof MailmanTransportError) await waitForCore(ctx.client, options, log);
      }
      if (round === 0 && retry.length > 0) {
        const lastSent = Math.max(...retry.map((item) => item.updatedAt?.getTime() ?? 0));
        const wait = lastSent + (options.inDoubtGraceMs ?? IN_DOUBT_GRACE_MS) - Date.now();
        if (wait > 0) await pause(wait, options.signal);
      }
      for (let i = 0; i < retry.length; i += batchSize) {
        if (options.signal?.aborted || leaseLost) break;
        const slice = retry.slice(i, i + batchSize);
        await countAttempt(
          jobId,
          slice.map((item) => item.position),
        );
        await settle(await runBatch(slice));
      }

      const inFlight = new Set<Promise<void>>();
      let failure: unknown = null;
      while (!options.signal?.aborted && !leaseLost && !cancel && failure === null) {
        let batch: ClaimedItem[];
        try {
          batch = await claimPendingItems(jobId, options.workerId, batchSize);
          // Nothing claimed: every item is taken, or this worker's lease ran out (the database
          // was away longer than the lease) and it must not send any more.
          if (batch.length === 0 && !(await holdsLease(jobId, options.workerId))) leaseLost = true;
        } catch (error) {
          // The batches still being sent are awaited first: a run that returned while its calls
          // went on would overlap with the run that resumes the job.
          failure ??= error;
          break;
        }
        if (batch.length === 0) break;
        const sending: Promise<void> = runBatch(batch.map((item) => ({ ...item, inDoubt: false })))
          .then(settle)
          .catch((error: unknown) => {
            failure ??= error;
          })
          .finally(() => inFlight.delete(sending));
        inFlight.add(sending);
        if (inFlight.size >= batchesInFlight) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
      if (failure !== null) throw failure;
      if (options.signal?.aborted) {
        await releaseLease(jobId, options.workerId);
        log.info("bulk job paused: the worker is stopping");
        return "stopped";
      }
      if (leaseLost) {
        log.warn("bulk job lease lost: another worker carries on");
        return "lease-lost";
      }
      if (cancel) await cancelPendingItems(jobId);
      if ((await itemsInDoubt(jobId)).length > 0) continue;
      const progress = await jobProgress({ id: jobId, total: await itemCount(jobId) });
      await finishJob(jobId, options.workerId, cancel ? "cancelled" : "done");
      await noteChange({
        onBehalfOf: job.createdBy,
        targetId: job.targetId,
        action: job.kind === "subscribe" ? "members.mass_subscribe.finished" : "members.mass_remove.finished",
        subject: job.listId,
        detail: { jobId, outcomes: progress.outcomes, cancelled: cancel },
      });
      log.info({ outcomes: progress.outcomes }, "bulk job finished");
      return "finished";
    }
  } catch (error) {
    if (leaseLost) return "lease-lost";
    if (isDatabaseUnavailable(error)) {
      // The job stays running under a lease nobody renews: the worker's recovery resumes it once
      // the lease expires, and the items sent meanwhile are checked as in doubt (nothing twice).
      log.warn({ err: error }, "bulk job interrupted: the database did not answer; it resumes when its lease expires");
      return "interrupted";
    }
    log.error({ err: error }, "bulk job failed");
    const failure = errorOutcome(error);
    await finishJob(jobId, options.workerId, "failed", failure.detail ?? "The job failed.").catch(() => {});
    return "finished";
  } finally {
    clearInterval(heartbeat);
  }
}
