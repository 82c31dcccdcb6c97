import type { z } from "zod";
import { noteChange } from "@/lib/audit";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { enqueueJob, REMOVE_EVERYWHERE_QUEUE } from "@/lib/jobs/queue";
import { MailmanError, MailmanTransportError } from "@/lib/mailman";
import { csvLine } from "@/lib/members/csv-export";
import { neutraliseFormula } from "@/lib/members/csv-formula";
import { clientForTarget } from "@/lib/targets/targets";
import { findPerson } from "./find-everywhere";
import {
  confirmationMatches,
  listKey,
  planRemoval,
  REMOVE_OUTCOME_LABELS,
  removeEverywhereSchema,
  startRemoveEverywhereSchema,
  type FoundMembership,
  type PlannedItem,
  type RemoveEverywhereInput,
  type RemoveOutcome,
} from "./remove-plan";
import { createRemoveEverywhereJob, getRemoveEverywhereJob, jobItems, type RemoveEverywhereJob } from "./remove-everywhere-store";

/**
 * "Remove everywhere" (issue 11 item 2): the preview a superuser sees and the start of the job
 * (lib/people/remove-everywhere-run.ts runs it). The preview costs the search's calls
 * (lib/people/find-everywhere.ts: per server one for the core user and one `members/find` per
 * address) plus, when owners are to be removed, one owner-roster read per list the person owns.
 * The start computes the plan again: the preview is only a prediction, the worker checks each
 * owner removal once more when it gets there.
 */

export interface RemovePreview {
  address: string;
  /** The addresses the job covers (the typed one first). */
  addresses: string[];
  /** Other addresses of the same core user, offered but not covered unless chosen. */
  otherAddresses: string[];
  roles: RemoveEverywhereInput["roles"];
  globalBan: boolean;
  items: PlannedItem[];
  kept: FoundMembership[];
  /** Servers that could not be searched: nothing is planned there. */
  problems: { targetName: string; problem: string }[];
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new InvalidInputError(issue?.message ?? "The request was not valid.", { field: issue?.path[0]?.toString() });
}

export async function previewRemoveEverywhere(raw: z.input<typeof removeEverywhereSchema>): Promise<RemovePreview> {
  const input = parse(removeEverywhereSchema, raw);
  const finding = await findPerson({ kind: "address", text: input.address, address: input.address }, { targetIds: input.targetId ? [input.targetId] : undefined });
  const everyAddress = finding.addresses;
  const covered = input.otherAddresses ? everyAddress : [input.address];
  const otherAddresses = everyAddress.filter((a) => a !== input.address);
  const answered = finding.servers.filter((s) => !s.problem);
  const memberships: FoundMembership[] = answered.flatMap((s) =>
    s.memberships
      .filter((m) => m.role !== "nonmember" && covered.includes(m.email))
      .map((m) => ({ targetId: s.targetId, targetName: s.targetName, listId: m.listId, role: m.role, email: m.email })),
  );

  // The owner roster of each list where an owner role is to go: one call per such list.
  const owners = new Map<string, string[]>();
  const problems = finding.servers.filter((s) => s.problem).map((s) => ({ targetName: s.targetName, problem: s.problem! }));
  if (input.roles.includes("owner")) {
    const owned = [...new Map(memberships.filter((m) => m.role === "owner").map((m) => [listKey(m.targetId, m.listId), m])).values()];
    await Promise.all(
      owned.map(async (m) => {
        try {
          const { client } = await clientForTarget(m.targetId);
          const roster = await client.fullRoster(m.listId, "owner", ["email"]);
          owners.set(listKey(m.targetId, m.listId), roster.map((r) => (r.email ?? "").toLowerCase()));
        } catch (error) {
          if (!(error instanceof MailmanError || error instanceof MailmanTransportError)) throw error;
          problems.push({ targetName: m.targetName, problem: `The owners of ${m.listId} could not be read (${error.userMessage}); the job checks them again.` });
        }
      }),
    );
  }
  const plan = planRemoval({
    memberships,
    roles: input.roles,
    owners,
    banServers: input.globalBan ? answered.map((s) => ({ targetId: s.targetId, targetName: s.targetName })) : [],
    banAddresses: covered,
  });
  return { address: input.address, addresses: covered, otherAddresses, roles: input.roles, globalBan: input.globalBan, items: plan.items, kept: plan.kept, problems };
}

/** Starts the job after the typed confirmation; returns its id. The caller has checked the viewer. */
export async function startRemoveEverywhere(raw: z.input<typeof startRemoveEverywhereSchema>, actorUserId: string): Promise<{ jobId: number }> {
  const input = parse(startRemoveEverywhereSchema, raw);
  if (!confirmationMatches(input.address, input.confirmation)) {
    throw new InvalidInputError(`Type ${input.address} to confirm.`, { field: "confirmation" });
  }
  const preview = await previewRemoveEverywhere(input);
  if (preview.items.length === 0) throw new InvalidInputError(`Nothing to do: ${input.address} holds none of the chosen roles on any list${input.globalBan ? " and no server could be asked to ban it" : ""}.`);
  const jobId = await createRemoveEverywhereJob({
    address: input.address,
    addresses: preview.addresses,
    roles: input.roles,
    globalBan: input.globalBan,
    createdBy: actorUserId,
    items: preview.items,
  });
  await noteChange({
    action: "people.remove_everywhere",
    subject: input.address,
    detail: {
      jobId,
      roles: input.roles,
      globalBan: input.globalBan,
      addresses: preview.addresses,
      memberships: preview.items.filter((i) => i.kind === "membership").length,
      refusedLastOwner: preview.items.filter((i) => i.action === "refuse_last_owner").length,
    },
  });
  await enqueueJob(REMOVE_EVERYWHERE_QUEUE, jobId);
  return { jobId };
}

// Progress and report --------------------------------------------------------------------------------

export interface RemoveReportRow {
  position: number;
  targetName: string;
  kind: "membership" | "ban";
  listId: string | null;
  role: string | null;
  email: string;
  state: "pending" | "sending" | "done";
  outcome: RemoveOutcome | null;
  detail: string | null;
  attempts: number;
}

export interface RemoveEverywhereStatus {
  id: number;
  address: string;
  addresses: string[];
  roles: string[];
  globalBan: boolean;
  status: RemoveEverywhereJob["status"];
  error: string | null;
  total: number;
  done: number;
  outcomes: Partial<Record<RemoveOutcome, number>>;
  createdAt: string;
  finishedAt: string | null;
  /** One row per list and role (and per server ban): a person is on tens of lists, not thousands. */
  rows: RemoveReportRow[];
}

export async function loadRemoveEverywhereJob(jobId: number): Promise<RemoveEverywhereJob> {
  const job = Number.isInteger(jobId) && jobId > 0 ? await getRemoveEverywhereJob(jobId) : null;
  if (!job) throw new NotFoundError("That job does not exist.");
  return job;
}

export async function removeEverywhereStatus(job: RemoveEverywhereJob): Promise<RemoveEverywhereStatus> {
  const items = await jobItems(job.id);
  const outcomes: Partial<Record<RemoveOutcome, number>> = {};
  let done = 0;
  for (const item of items) {
    if (item.state !== "done" || !item.outcome) continue;
    done += 1;
    const o = item.outcome as RemoveOutcome;
    outcomes[o] = (outcomes[o] ?? 0) + 1;
  }
  return {
    id: job.id,
    address: job.address,
    addresses: job.addresses,
    roles: job.roles,
    globalBan: job.globalBan,
    status: job.status,
    error: job.error,
    total: job.total,
    done,
    outcomes,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    rows: items.map((i) => ({
      position: i.position,
      targetName: i.targetName,
      kind: i.kind,
      listId: i.listId,
      role: i.role,
      email: i.email,
      state: i.state,
      outcome: (i.outcome as RemoveOutcome | null) ?? null,
      detail: i.detail,
      attempts: i.attempts,
    })),
  };
}

export const REMOVE_REPORT_COLUMNS = ["position", "server", "list_id", "role", "email", "outcome", "outcome_label", "detail"] as const;

export async function* removeEverywhereCsvLines(job: RemoveEverywhereJob): AsyncGenerator<string, void, undefined> {
  yield csvLine(REMOVE_REPORT_COLUMNS);
  for (const row of (await removeEverywhereStatus(job)).rows) {
    const outcome = row.outcome ?? (row.state === "pending" ? "" : "in_progress");
    const label = row.outcome ? REMOVE_OUTCOME_LABELS[row.outcome] : row.state === "pending" ? "Not done yet" : "Being done";
    yield csvLine([
      String(row.position),
      neutraliseFormula(row.targetName),
      row.kind === "ban" ? "(global ban)" : (row.listId ?? ""),
      row.role ?? "",
      neutraliseFormula(row.email),
      outcome,
      label,
      neutraliseFormula(row.detail ?? ""),
    ]);
  }
}

export function removeEverywhereFileName(job: RemoveEverywhereJob): string {
  return `remove-everywhere-${job.address.replace(/[^A-Za-z0-9._-]+/g, "_")}-${job.id}.csv`;
}
