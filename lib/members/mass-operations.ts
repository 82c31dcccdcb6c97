import pLimit from "p-limit";
import type { z } from "zod";
import { noteChange, type AuditAction } from "@/lib/audit";
import type { ListAccess } from "@/lib/auth/list-access";
import { enqueueBulkJob } from "@/lib/jobs/queue";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import type { MailmanClient } from "@/lib/mailman";
import { banMatcher, type BanMatcher } from "@/lib/bans/ban-match";
import { logger } from "@/lib/logger";
import { allBans } from "@/lib/mailman/bans";
import { allRequests } from "@/lib/mailman/requests";
import { createBulkJob, getBulkJob, requestCancel, type BulkJob, type NewItem } from "./bulk-store";
import { chosenImportRoles } from "./import-roles-input";
import { isSubscriptionPolicy, predictNewAddress, type NewAddressFate } from "./subscribe-prediction";
import { getAddress } from "@/lib/mailman/users";
import {
  addressKey,
  MAX_MASS_ENTRIES,
  parseMassInput,
  type DuplicateEntry,
  type InvalidEntry,
  type massRemovePreflightSchema,
  type massRemoveStartSchema,
  type massSubscribePreflightSchema,
  type massSubscribeStartSchema,
  type removeAllStartSchema,
  type GoogleGroupsImport,
  type ParsedMassInput,
} from "./mass-input";

/**
 * Mass subscribe and mass removal as the app sees them (console.md §3.4–3.5, §9.4–5): a
 * preflight that says what will happen to each address before anything is sent, and the start of
 * a bulk job that a worker runs (lib/members/bulk-run.ts). The preflight is a prediction: the job
 * sends every valid address and reports what the core answered.
 */

export type SubscribePrediction = NewAddressFate | "member" | "pending" | "banned" | "own_address";
const SUBSCRIBE_PREDICTIONS: readonly SubscribePrediction[] = ["subscribe", "confirm", "approve", "invite", "member", "pending", "banned", "own_address"];
export type RemovePrediction = "remove" | "not_member";

export interface PreflightRow<P extends string> {
  line: number;
  email: string;
  displayName: string | null;
  prediction: P;
}

export interface Preflight<P extends string> {
  rows: PreflightRow<P>[];
  invalid: InvalidEntry[];
  duplicates: DuplicateEntry[];
  counts: Record<P, number>;
  /** A Google Groups export: its owners/managers and the rows left out (mass subscribe only). */
  googleGroups?: GoogleGroupsImport;
  /** Mass subscribe: the list's subscription policy the prediction used. */
  policy?: string;
  /** A limit of the prediction worth telling. */
  note?: string;
}

/** Up to this many addresses are looked up one by one; more, and the roster is read instead. */
const LOOKUP_ONE_BY_ONE = 25;
const ROSTER_PAGE = 1_000;

function parseWithin(input: string, format: "text" | "csv", options: { include?: readonly number[] } = {}): ParsedMassInput {
  const parsed = parseMassInput(input, format, options);
  if (parsed.entries.length + parsed.invalid.length === 0) throw new InvalidInputError("No addresses found in the input.", { field: "input" });
  if (parsed.entries.length > MAX_MASS_ENTRIES) {
    throw new InvalidInputError(`${parsed.entries.length.toLocaleString("en")} addresses: at most ${MAX_MASS_ENTRIES.toLocaleString("en")} per job.`, { field: "input" });
  }
  return parsed;
}

/** The lower-cased addresses among `keys` that are members of the list. */
async function membersAmong(client: MailmanClient, listId: string, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length <= LOOKUP_ONE_BY_ONE) {
    const limit = pLimit(4);
    const found = await Promise.all(
      keys.map((key) => limit(async () => ((await client.findMembers({ listId, subscriber: key, role: "member" }, { count: 1, page: 1 }, ["email"])).total > 0 ? key : null))),
    );
    return new Set(found.filter((k): k is string => k !== null));
  }
  const roster = await client.fullRoster(listId, "member", ["email"], ROSTER_PAGE);
  return new Set(roster.map((m) => (m.email ?? "").toLowerCase()));
}

/** Up to this many new addresses are looked up to see whether the core has verified them already. */
const VERIFIED_LOOKUPS = 100;

/**
 * The lower-cased addresses among `keys` that the core knows as verified (they skip the
 * confirmation e-mail even without pre-verified). Past VERIFIED_LOOKUPS, none are looked up
 * and `complete` is false: those are predicted as unverified.
 */
async function verifiedAmong(client: MailmanClient, keys: readonly string[]): Promise<{ verified: Set<string>; complete: boolean }> {
  if (keys.length > VERIFIED_LOOKUPS) return { verified: new Set(), complete: false };
  const limit = pLimit(4);
  const found = await Promise.all(keys.map((key) => limit(async () => ((await getAddress(client, key))?.verified_on ? key : null))));
  return { verified: new Set(found.filter((k): k is string => k !== null)), complete: true };
}

/** The core's ban check, on RE2 with bounded work (lib/bans/ban-match.ts). */
async function banCheck(client: MailmanClient, listId: string): Promise<BanMatcher> {
  const [listBans, globalBans] = await Promise.all([allBans(client, { listId }), allBans(client, "global")]);
  return banMatcher([...listBans, ...globalBans].map((b) => b.email));
}

function countBy<P extends string>(rows: readonly PreflightRow<P>[], all: readonly P[]): Record<P, number> {
  const counts = Object.fromEntries(all.map((p) => [p, 0])) as Record<P, number>;
  for (const row of rows) counts[row.prediction] += 1;
  return counts;
}

export async function preflightSubscribe(access: ListAccess, input: z.infer<typeof massSubscribePreflightSchema>): Promise<Preflight<SubscribePrediction>> {
  const parsed = parseWithin(input.input, input.format, { include: input.googleGroups?.include });
  const listId = access.list.list_id;
  const options = input.options ?? { preVerified: true, preConfirmed: true, preApproved: true, invitation: false };
  const keys = parsed.entries.map((e) => addressKey(e.email));
  const [members, bans, pending, config] = await Promise.all([
    membersAmong(access.client, listId, keys),
    banCheck(access.client, listId),
    allRequests(access.client, listId, { requestType: "subscription" }).then((r) => new Set(r.map((x) => (x.email ?? "").toLowerCase()))),
    access.client.getListConfig(listId),
  ]);
  const policy = isSubscriptionPolicy(config.subscription_policy) ? config.subscription_policy : "confirm";
  const own = access.list.fqdn_listname.toLowerCase();
  const settled = (key: string) => key === own || members.has(key) || bans.isBanned(key) || pending.has(key);
  // Whether the core verified an address matters only when pre-verified is off.
  const verification = !options.preVerified && !options.invitation ? await verifiedAmong(access.client, [...new Set(keys.filter((k) => !settled(k)))]) : null;
  const rows = parsed.entries.map((entry): PreflightRow<SubscribePrediction> => {
    const key = addressKey(entry.email);
    const prediction: SubscribePrediction =
      key === own
        ? "own_address"
        : members.has(key)
          ? "member"
          : bans.isBanned(key)
            ? "banned"
            : pending.has(key)
              ? "pending"
              : predictNewAddress(policy, options, verification?.verified.has(key) ?? false);
    return { line: entry.line, email: entry.email, displayName: entry.displayName, prediction };
  });
  if (bans.incomplete) logger.warn({ listId, addresses: keys.length }, "ban patterns left out of the preflight (unrunnable, too many or over the time budget); the core still applies them");
  return {
    rows,
    invalid: parsed.invalid,
    duplicates: parsed.duplicates,
    counts: countBy(rows, SUBSCRIBE_PREDICTIONS),
    policy,
    ...(verification && !verification.complete ? { note: `More than ${VERIFIED_LOOKUPS} new addresses: those Mailman has already verified are subscribed without the confirmation e-mail predicted here.` } : {}),
    ...(parsed.googleGroups ? { googleGroups: parsed.googleGroups } : {}),
  };
}

export async function preflightRemove(access: ListAccess, input: z.infer<typeof massRemovePreflightSchema>): Promise<Preflight<RemovePrediction>> {
  const parsed = parseWithin(input.input, input.format);
  const members = await membersAmong(
    access.client,
    access.list.list_id,
    parsed.entries.map((e) => addressKey(e.email)),
  );
  const rows = parsed.entries.map(
    (entry): PreflightRow<RemovePrediction> => ({
      line: entry.line,
      email: entry.email,
      displayName: entry.displayName,
      prediction: members.has(addressKey(entry.email)) ? "remove" : "not_member",
    }),
  );
  return { rows, invalid: parsed.invalid, duplicates: parsed.duplicates, counts: countBy(rows, ["remove", "not_member"]) };
}

/** Valid entries and invalid lines in input order, the invalid ones already reported. */
function jobItems(parsed: ParsedMassInput, members: Set<string>): NewItem[] {
  const items: (NewItem & { line: number })[] = [
    ...parsed.entries.map((e) => ({ line: e.line, email: e.email, displayName: e.displayName, expectedMember: members.has(addressKey(e.email)) })),
    ...parsed.invalid.map((e) => ({
      line: e.line,
      email: e.raw,
      displayName: null,
      expectedMember: false,
      final: { outcome: "invalid" as const, detail: e.reason },
    })),
  ];
  // The item's position is its input line: the report numbers rows as the preflight does.
  return items.sort((a, b) => a.line - b.line).map(({ line, ...item }) => ({ ...item, position: line }));
}

/** Parses the input again (the preflight is not trusted), records the job and queues it. */
async function startListJob(
  access: ListAccess,
  job: { kind: "subscribe" | "remove"; format: "text" | "csv"; input: string; options: Record<string, unknown>; googleGroups?: { include: number[] } },
  audit: { action: AuditAction; detail: Record<string, unknown> },
): Promise<{ jobId: number }> {
  const parsed = parseWithin(job.input, job.format, { include: job.googleGroups?.include });
  const members = await membersAmong(
    access.client,
    access.list.list_id,
    parsed.entries.map((e) => addressKey(e.email)),
  );
  const jobId = await createBulkJob({
    targetId: access.target.id,
    listId: access.list.list_id,
    kind: job.kind,
    source: job.format,
    options: job.options,
    createdBy: access.viewer.id,
    items: jobItems(parsed, members),
  });
  await noteChange({
    targetId: access.target.id,
    action: audit.action,
    subject: access.list.list_id,
    detail: { jobId, addresses: parsed.entries.length, invalid: parsed.invalid.length, ...audit.detail },
  });
  await enqueueBulkJob(jobId);
  return { jobId };
}

export async function startMassSubscribe(access: ListAccess, input: z.infer<typeof massSubscribeStartSchema>): Promise<{ jobId: number }> {
  const { options } = input;
  if (!options.invitation && (options.preVerified || options.preConfirmed) && !input.consent) {
    throw new InvalidInputError("Confirm that these people asked to join (or agreed to), or turn off pre-verified and pre-confirmed.", { field: "consent" });
  }
  // Owners and managers of a Google Groups export chosen to become owners and moderators: kept
  // with the job, added after it by a separate step (lib/members/import-roles.ts).
  const importRoles = chosenImportRoles(input);
  return startListJob(
    access,
    { kind: "subscribe", ...input, options: importRoles.length > 0 ? { ...options, importRoles } : options },
    { action: "members.mass_subscribe", detail: { options, consent: input.consent, ...(input.googleGroups ? { googleGroups: { ...input.googleGroups, importRoles } } : {}) } },
  );
}

export async function startMassRemove(access: ListAccess, input: z.infer<typeof massRemoveStartSchema>): Promise<{ jobId: number }> {
  return startListJob(access, { kind: "remove", ...input }, { action: "members.mass_remove", detail: { notify: input.options.notify } });
}

/** Remove-all: the typed count must match the roster now, so nobody confirms a stale number. */
export async function startRemoveAll(access: ListAccess, input: z.infer<typeof removeAllStartSchema>): Promise<{ jobId: number }> {
  const size = await access.client.rosterSize(access.list.list_id, "member");
  if (size === 0) throw new ConflictError("The list has no members to remove.");
  if (input.confirmCount !== size) {
    throw new InvalidInputError(`The list has ${size.toLocaleString("en")} members now: type that number to confirm.`, { field: "confirmCount" });
  }
  const jobId = await createBulkJob({
    targetId: access.target.id,
    listId: access.list.list_id,
    kind: "remove",
    source: "roster",
    options: input.options,
    createdBy: access.viewer.id,
    items: [],
  });
  await noteChange({
    targetId: access.target.id,
    action: "members.remove_all",
    subject: access.list.list_id,
    detail: { jobId, members: size, notify: input.options.notify },
  });
  await enqueueBulkJob(jobId);
  return { jobId };
}

/** A job of this list, or NotFound (never another list's job through this list's guard). */
export async function loadListBulkJob(access: ListAccess, jobId: number): Promise<BulkJob> {
  const job = await getBulkJob(jobId);
  if (!job || job.targetId !== access.target.id || job.listId !== access.list.list_id) throw new NotFoundError("That job does not exist on this list.");
  return job;
}

export async function cancelBulkJob(access: ListAccess, jobId: number): Promise<void> {
  const job = await loadListBulkJob(access, jobId);
  if (job.status !== "queued" && job.status !== "running") throw new ConflictError("The job has already ended.");
  await requestCancel(jobId);
  await noteChange({ targetId: access.target.id, action: "members.bulk_cancel", subject: access.list.list_id, detail: { jobId } });
}
