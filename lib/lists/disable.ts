import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { listDisablements, type ListSnapshot } from "@/db/schema";
import { auditStep } from "@/lib/audit";
import type { ListAccess } from "@/lib/auth/list-access";
import { forgetListRoles } from "@/lib/auth/list-roles";
import { env } from "@/lib/env";
import { AppError, ConflictError, InvalidInputError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { MailmanError, MailmanTransportError, type MailmanClient } from "@/lib/mailman";
import { addBan, allBans, removeBan } from "@/lib/mailman/bans";
import { removeRole } from "@/lib/mailman/members";
import {
  DISABLE_MODES,
  describeChanges,
  disabledState,
  remainingDifferences,
  stateChanges,
  type DisableMode,
  type PlanLine,
} from "./disable-plan";
import { snapshotListChanged } from "./list-snapshot";
import { queryId } from "@/lib/validation/ids";

/**
 * Disabling or archiving a list in one step, reversibly (issue 11 item 3). The list's owners,
 * default actions, bans and description are recorded in `list_disablements` before anything in
 * the core changes; then one executor moves the list to the wanted state. Re-enabling moves it
 * back to the recorded state with the same executor. Every step reads what the core has now and
 * does only what is missing, so a run that stopped half-way (a core call failed, the process
 * died) is finished by running the same direction again, or undone by running the other one.
 */

export type Disablement = typeof listDisablements.$inferSelect;

const listRefShape = { targetId: queryId, listId: z.string().min(1).max(320) };
export const disableListSchema = z.object({ ...listRefShape, mode: z.enum(DISABLE_MODES) });
export const enableListSchema = z.object(listRefShape);

// Reading ---------------------------------------------------------------------------------------

/** The list's disablement that is not undone yet (disabling, disabled or enabling), if any. */
export async function openDisablement(targetId: number, listId: string): Promise<Disablement | null> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(listDisablements)
    .where(and(eq(listDisablements.targetId, targetId), eq(listDisablements.listId, listId), ne(listDisablements.state, "enabled")));
  return row ?? null;
}

/** Open disablements of these targets, keyed `targetId:listId`: one query for the list index. */
export async function openDisablementsOf(targetIds: readonly number[]): Promise<Map<string, Disablement>> {
  if (targetIds.length === 0) return new Map();
  const db = await getDb();
  const rows = await db
    .select()
    .from(listDisablements)
    .where(and(inArray(listDisablements.targetId, [...targetIds]), ne(listDisablements.state, "enabled")));
  return new Map(rows.map((r) => [`${r.targetId}:${r.listId}`, r]));
}

/**
 * Open disablements whose recorded owners include one of `emails`: the lists a former owner can
 * still find (and re-enable) although the core no longer names them owners.
 */
export async function disablementsOwnedBy(emails: readonly string[]): Promise<Disablement[]> {
  if (emails.length === 0) return [];
  const db = await getDb();
  const lowered = emails.map((e) => e.toLowerCase());
  return db
    .select()
    .from(listDisablements)
    .where(
      and(
        ne(listDisablements.state, "enabled"),
        sql`exists (select 1 from jsonb_array_elements(${listDisablements.previous}->'owners') as o where lower(o->>'email') in (${sql.join(
          lowered.map((e) => sql`${e}`),
          sql`, `,
        )}))`,
      ),
    );
}

/** The site's "disabled lists" owner: DISABLED_LIST_OWNER, else the core's `site_owner`. */
export async function placeholderOwnerFor(client: MailmanClient): Promise<string> {
  if (env.DISABLED_LIST_OWNER) return env.DISABLED_LIST_OWNER.toLowerCase();
  const siteOwner = (await client.mailmanSettings()).site_owner?.trim();
  if (!siteOwner || !z.email().safeParse(siteOwner).success) {
    throw new InvalidInputError("No address to own disabled lists: set DISABLED_LIST_OWNER, or the core's [mailman] site_owner, to an e-mail address.");
  }
  return siteOwner.toLowerCase();
}

type ConfigKey = "default_member_action" | "default_nonmember_action" | "description";

/** The four things disabling changes, as the core has them now (3 calls in parallel). */
export async function readListState(client: MailmanClient, listId: string): Promise<ListSnapshot & { acceptedNonmembers: number }> {
  const [owners, config, bans] = await Promise.all([
    client.fullRoster(listId, "owner", ["email", "display_name"]),
    client.getListConfig(listId),
    allBans(client, { listId }),
  ]);
  const text = (key: ConfigKey) => (typeof config[key] === "string" ? (config[key] as string) : null);
  return {
    owners: owners.map((o) => ({ email: (o.email ?? "").toLowerCase(), displayName: o.display_name ?? null })).filter((o) => o.email !== ""),
    defaultMemberAction: text("default_member_action"),
    defaultNonmemberAction: text("default_nonmember_action"),
    bans: bans.map((b) => b.email),
    description: text("description") ?? "",
    acceptedNonmembers: Array.isArray(config.accept_these_nonmembers) ? config.accept_these_nonmembers.length : 0,
  };
}

function snapshotOf(state: ListSnapshot): ListSnapshot {
  return {
    owners: state.owners,
    defaultMemberAction: state.defaultMemberAction,
    defaultNonmemberAction: state.defaultNonmemberAction,
    bans: state.bans,
    description: state.description,
  };
}

// Moving a list to a state ------------------------------------------------------------------------

function alreadyDone(error: unknown, pattern: RegExp): boolean {
  return error instanceof MailmanError && error.status === 400 && pattern.test(error.description ?? "");
}

/**
 * Changes the list from what the core has now to `wanted`, step by step in the order of
 * `describeChanges` (bans out, owners in, owners out, settings, bans in). Answers that say a step
 * was already done count as done. Throws the first real failure; what was done stays done.
 */
async function converge(client: MailmanClient, listId: string, wanted: ListSnapshot): Promise<void> {
  const changes = stateChanges(await readListState(client, listId), wanted);
  for (const ban of changes.bansToRemove) {
    try {
      await removeBan(client, { listId }, ban);
    } catch (error) {
      if (!(error instanceof MailmanError && error.status === 404)) throw error;
    }
  }
  for (const owner of changes.ownersToAdd) {
    try {
      await client.subscribe({
        listId,
        subscriber: owner.email,
        role: "owner",
        ...(owner.displayName ? { displayName: owner.displayName } : {}),
        preVerified: true,
        preConfirmed: true,
        preApproved: true,
      });
    } catch (error) {
      // Duplicate owner → 400 "x is already an owner of L" (Q-16).
      if (!alreadyDone(error, /already an owner/i)) throw error;
    }
  }
  for (const email of changes.ownersToRemove) {
    try {
      await removeRole(client, listId, "owner", email);
    } catch (error) {
      if (!(error instanceof MailmanError && error.status === 404)) throw error;
    }
  }
  const patch: Record<string, unknown> = {};
  if (changes.memberAction) patch.default_member_action = changes.memberAction.to;
  if (changes.nonmemberAction) patch.default_nonmember_action = changes.nonmemberAction.to;
  if (changes.description) patch.description = changes.description.to;
  if (Object.keys(patch).length > 0) await client.patchListConfig(listId, patch);
  for (const ban of changes.bansToAdd) {
    try {
      await addBan(client, { listId }, ban);
    } catch (error) {
      if (!alreadyDone(error, /already banned/i)) throw error;
    }
  }
}

function failureText(error: unknown): string {
  if (error instanceof MailmanError || error instanceof MailmanTransportError) return error.userMessage;
  if (error instanceof AppError) return error.message;
  return "an unexpected error (see the server log)";
}

/** A run that stopped: the record keeps the reason, the user reads what to do next. */
export class IncompleteRunError extends ConflictError {}

async function setRecord(id: number, values: Partial<typeof listDisablements.$inferInsert>): Promise<void> {
  const db = await getDb();
  await db.update(listDisablements).set(values).where(eq(listDisablements.id, id));
}

/** Runs `converge`, then reads the list again: whatever still differs is reported, not hidden. */
async function runTo(access: ListAccess, record: Disablement, wanted: ListSnapshot, direction: "disable" | "enable"): Promise<void> {
  const listId = access.list.list_id;
  try {
    await converge(access.client, listId, wanted);
  } catch (error) {
    const reason = failureText(error);
    logger.warn({ listId, direction, err: { message: (error as Error).message } }, "list disable/enable stopped part-way");
    await setRecord(record.id, { error: reason });
    const retry = direction === "disable" ? "Finish disabling" : "Re-enable";
    throw new IncompleteRunError(`Mailman stopped the change part-way (${reason}). Nothing is lost: use “${retry}” to finish it${direction === "disable" ? ", or “Re-enable” to undo it" : ""}.`, {
      cause: error,
    });
  } finally {
    forgetListRoles(access.target.id, listId);
    // The description changed (or half did): the list index shows it at once.
    await snapshotListChanged(access.target.id, listId, access.client);
  }
  const left = remainingDifferences(snapshotOf(await readListState(access.client, listId)), wanted);
  if (left.length > 0) {
    const reason = `the core did not take: ${left.join("; ")}`;
    await setRecord(record.id, { error: reason });
    throw new IncompleteRunError(`Mailman answered every call, but ${reason}. Check the list's bans and owners, then try again.`);
  }
}

// Previews ----------------------------------------------------------------------------------------

export interface DisablePreview {
  mode: DisableMode;
  placeholderOwner: string;
  lines: PlanLine[];
  warnings: string[];
  /** Set when a disabling is open: the preview then finishes or repeats it. */
  open: { state: Disablement["state"]; mode: DisableMode; error: string | null } | null;
}

/** Members whose own moderation action is "accept": their posts bypass the list's default action. */
async function acceptedMembers(client: MailmanClient, listId: string): Promise<number> {
  const page = await client.findMembers({ listId, role: "member", moderationAction: "accept" }, { count: 1, page: 1 }, ["email"]);
  return page.total;
}

function bypassWarnings(acceptedMemberCount: number, acceptedNonmemberCount: number): string[] {
  const warnings: string[] = [];
  if (acceptedMemberCount > 0) {
    warnings.push(
      `${acceptedMemberCount} ${acceptedMemberCount === 1 ? "member has" : "members have"} their own moderation action “Accept”, which overrides the list's default: their posts will still be distributed. Change it on their member pages if the list must be silent.`,
    );
  }
  if (acceptedNonmemberCount > 0) {
    warnings.push(`${acceptedNonmemberCount} non-member ${acceptedNonmemberCount === 1 ? "address is" : "addresses are"} in “Accept these non-members” (Message acceptance settings): their posts still go through.`);
  }
  return warnings;
}

/** What disabling (or archiving) will change, before anything is sent. */
export async function previewDisable(access: ListAccess, mode: DisableMode): Promise<DisablePreview> {
  const { client, list } = access;
  const open = await openDisablement(access.target.id, list.list_id);
  if (open && open.state === "disabled") throw new ConflictError(`This list is already ${open.mode}. Re-enable it first.`);
  const [current, accepted, placeholder] = await Promise.all([
    readListState(client, list.list_id),
    acceptedMembers(client, list.list_id),
    open ? Promise.resolve(open.placeholderOwner) : placeholderOwnerFor(client),
  ]);
  const previous = open ? open.previous : snapshotOf(current);
  const wanted = disabledState(previous, open ? open.mode : mode, placeholder);
  return {
    mode: open ? open.mode : mode,
    placeholderOwner: placeholder,
    lines: describeChanges(stateChanges(current, wanted)),
    warnings: bypassWarnings(accepted, current.acceptedNonmembers),
    open: open ? { state: open.state, mode: open.mode, error: open.error } : null,
  };
}

export interface EnablePreview {
  mode: DisableMode;
  lines: PlanLine[];
  disabledAt: Date;
  state: Disablement["state"];
  error: string | null;
}

export async function previewEnable(access: ListAccess): Promise<EnablePreview> {
  const record = await openDisablement(access.target.id, access.list.list_id);
  if (!record) throw new ConflictError("This list is not disabled.");
  const current = await readListState(access.client, access.list.list_id);
  return {
    mode: record.mode,
    lines: describeChanges(stateChanges(current, record.previous)),
    disabledAt: record.disabledAt,
    state: record.state,
    error: record.error,
  };
}

// Running -----------------------------------------------------------------------------------------

/**
 * Disables or archives the list: records the current state (unless a disabling is open already,
 * whose record is kept: it was taken before anything changed), then moves the list to the
 * disabled state. Calling it again after a failure finishes the job.
 */
export async function disableList(access: ListAccess, mode: DisableMode): Promise<Disablement> {
  const { client, list, target, viewer } = access;
  const db = await getDb();
  let record = await openDisablement(target.id, list.list_id);
  if (record?.state === "disabled") throw new ConflictError(`This list is already ${record.mode}.`);
  if (!record) {
    const [current, placeholder] = await Promise.all([readListState(client, list.list_id), placeholderOwnerFor(client)]);
    const [inserted] = await db
      .insert(listDisablements)
      .values({
        targetId: target.id,
        listId: list.list_id,
        fqdn: list.fqdn_listname,
        mode,
        state: "disabling",
        previous: snapshotOf(current),
        placeholderOwner: placeholder,
        disabledBy: viewer.id,
      })
      // Two clicks at once: one row wins (the unique index on open rows), the other reads it.
      .onConflictDoNothing()
      .returning();
    record = inserted ?? (await openDisablement(target.id, list.list_id));
    if (!record) throw new Error("list_disablements row vanished");
  } else {
    await setRecord(record.id, { state: "disabling", error: null });
  }
  const opened = record;
  await auditStep(
    {
      targetId: target.id,
      action: opened.mode === "archived" ? "list.archive" : "list.disable",
      subject: list.list_id,
      detail: { disablementId: opened.id, placeholderOwner: opened.placeholderOwner, previous: opened.previous },
    },
    async () => {
      await runTo(access, opened, disabledState(opened.previous, opened.mode, opened.placeholderOwner), "disable");
      await setRecord(opened.id, { state: "disabled", error: null });
    },
  );
  return { ...record, state: "disabled", error: null };
}

/** Puts back exactly the recorded owners, default actions, bans and description. */
export async function enableList(access: ListAccess): Promise<Disablement> {
  const { target, list, viewer } = access;
  const record = await openDisablement(target.id, list.list_id);
  if (!record) throw new ConflictError("This list is not disabled (any more).");
  await setRecord(record.id, { state: "enabling", error: null });
  const enabledAt = new Date();
  await auditStep({ targetId: target.id, action: "list.enable", subject: list.list_id, detail: { disablementId: record.id, mode: record.mode, restored: record.previous } }, async () => {
    await runTo(access, record, record.previous, "enable");
    await setRecord(record.id, { state: "enabled", error: null, enabledBy: viewer.id, enabledAt });
  });
  return { ...record, state: "enabled", error: null, enabledBy: viewer.id, enabledAt };
}
