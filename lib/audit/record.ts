import { AsyncLocalStorage } from "node:async_hooks";
import { ZodError } from "zod";
import { getDb } from "@/db/client";
import { auditEvents, type AuditActorKind, type AuditOutcome } from "@/db/schema/audit-events";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { MailmanError, MailmanTransportError } from "@/lib/mailman/errors";
import type { AuditAction } from "./actions";
import { listIdOfEntry } from "./scope";

/**
 * The one audit writer. Entry points (server actions, the JSON API, SCIM, the job worker, the
 * CLI) open a scope around the work with `withAuditScope(door, fn)`; lib functions only describe
 * what they change (`noteChange`, `auditStep`) into the scope; the scope writes the rows once,
 * at its end, with the door's actor and each change's outcome. A failed operation leaves a
 * `failed` row with the error's plain message. Nothing outside lib/audit and lib/entry inserts
 * audit rows (lib/audit/writer-rule.test.ts).
 */

/** Who is acting: the door the work came through, and the account behind it when there is one. */
export interface AuditDoor {
  kind: AuditActorKind;
  /** The token's, connector's, job kind's or command's name. Never a secret. */
  label?: string | null;
  /** The signed-in person, or the account an API token or a CLI command acts for. */
  userId?: string | null;
}

export const auditDoor = {
  user: (userId: string): AuditDoor => ({ kind: "user", userId }),
  apiToken: (userId: string, tokenName: string): AuditDoor => ({ kind: "api_token", label: tokenName, userId }),
  scim: (connectorName: string): AuditDoor => ({ kind: "scim", label: connectorName }),
  scheduler: (jobKind: string): AuditDoor => ({ kind: "scheduler", label: jobKind }),
  cli: (command: string, userId: string | null = null): AuditDoor => ({ kind: "cli", label: command, userId }),
};

/** What a lib function changed (or is about to change), described for the audit log. */
export interface AuditChange {
  action: AuditAction;
  subject?: string;
  targetId?: number | null;
  /** Defaults to the list the action and subject name (lib/audit/scope.ts). */
  listId?: string | null;
  /** ok unless said otherwise; `detail.outcome` of "partial" or "failed" counts too. */
  outcome?: AuditOutcome;
  /** The readable summary's material (old → new for settings). Never a secret. */
  detail?: Record<string, unknown>;
  /**
   * A background job's change: the person who started the job. The door (the scheduler) is the
   * actor; this names whom it worked for, so that person's filter finds the row.
   */
  onBehalfOf?: string | null;
}

interface Scope {
  door: AuditDoor;
  changes: AuditChange[];
  closed: boolean;
}

const scopes = new AsyncLocalStorage<Scope>();

/** The error's message as the person using Listkeeper would read it; never a stack or a secret. */
export function plainMessage(error: unknown): string {
  if (error instanceof MailmanError || error instanceof MailmanTransportError) return error.userMessage;
  if (error instanceof AppError) return error.message;
  if (error instanceof ZodError) return `The input is not valid: ${error.issues.map((i) => i.message).join("; ")}`;
  if (error instanceof Error && error.name === "ValidationProblem") return error.message;
  return "An unexpected error on the server (the server log has details).";
}

function outcomeOf(change: AuditChange): AuditOutcome {
  if (change.outcome) return change.outcome;
  const fromDetail = change.detail?.outcome;
  return fromDetail === "partial" || fromDetail === "failed" ? fromDetail : "ok";
}

async function insertRows(door: AuditDoor, changes: readonly AuditChange[]): Promise<void> {
  if (changes.length === 0) return;
  const db = await getDb();
  await db.insert(auditEvents).values(
    changes.map((change) => {
      const subject = change.subject ?? "";
      return {
        actorUserId: door.userId ?? change.onBehalfOf ?? null,
        actorKind: door.kind,
        actorLabel: door.label ?? null,
        targetId: change.targetId ?? null,
        listId: change.listId !== undefined ? change.listId : listIdOfEntry(change.action, subject),
        action: change.action,
        subject,
        outcome: outcomeOf(change),
        detail: change.detail ?? {},
      };
    }),
  );
}

export interface AuditScopeOptions<T> {
  /**
   * What the door was asked to do, when the door knows (the API's and SCIM's declared action):
   * a failure that no lib function described leaves a failed row of this action. Written only
   * on failure; on success the door notes its own row (with what the work returned).
   */
  attempt?: AuditChange;
  /** A result that is a failure without a throw (a server action's `serverError`): its message. */
  failureOf?: (result: T) => string | null;
  /** The door's own errors in plain words (SCIM's problems); others as `plainMessage` says. */
  describeError?: (error: unknown) => string | null;
}

/**
 * Runs `fn` as one audited operation of `door`: the changes it notes are written when it ends,
 * once, in one insert. When `fn` throws (or `failureOf` says it failed) and no noted change
 * already says `failed`, the declared attempt is written as `failed` with the error's plain
 * message. A failure to write is logged, never thrown: the change itself was made.
 */
export async function withAuditScope<T>(door: AuditDoor, fn: () => Promise<T>, options: AuditScopeOptions<T> = {}): Promise<T> {
  const scope: Scope = { door, changes: [], closed: false };
  let result: T;
  try {
    result = await scopes.run(scope, fn);
  } catch (error) {
    await close(scope, options.describeError?.(error) ?? plainMessage(error), options.attempt);
    throw error;
  }
  await close(scope, options.failureOf?.(result) ?? null, options.attempt);
  return result;
}

async function close(scope: Scope, failure: string | null, attempt: AuditChange | undefined): Promise<void> {
  scope.closed = true;
  const changes = [...scope.changes];
  if (failure !== null && attempt && !changes.some((c) => outcomeOf(c) === "failed")) {
    changes.push({ ...attempt, outcome: "failed", detail: { ...attempt.detail, error: failure } });
  }
  try {
    await insertRows(scope.door, changes);
  } catch (error) {
    logger.error({ err: error, actions: changes.map((c) => c.action) }, "could not write audit rows");
  }
}

const warnedOutside = new Set<string>();

/**
 * Describes a change made, into the current scope. Outside any scope (a lib function called
 * without a door: a test, or a new entry point that forgot its scope) the row is written at
 * once with the actor "system" and a warning is logged: an audit log must not lose a change,
 * and the warning names the action so the missing door is found.
 */
export async function noteChange(change: AuditChange): Promise<void> {
  const scope = scopes.getStore();
  if (scope && !scope.closed) {
    scope.changes.push(change);
    return;
  }
  if (!warnedOutside.has(change.action)) {
    // Once per action and process: enough to find the door that forgot its scope.
    warnedOutside.add(change.action);
    logger.warn({ action: change.action, door: scope?.door.kind ?? null }, "audit change noted outside an open audit scope: written as the system");
  }
  await insertRows(scope ? scope.door : { kind: "system" }, [change]);
}

/**
 * Runs the work that makes `change` and notes it: ok when the work resolves, `failed` with the
 * error's plain message when it throws (the error goes on). Lib functions wrap their core call
 * in this so a refusal of the core is in the log too; `detailOf` adds what the work returned.
 */
export async function auditStep<T>(change: AuditChange, work: () => Promise<T>, detailOf?: (result: T) => Record<string, unknown>): Promise<T> {
  try {
    const result = await work();
    await noteChange(detailOf ? { ...change, detail: { ...change.detail, ...detailOf(result) } } : change);
    return result;
  } catch (error) {
    await noteChange({ ...change, outcome: "failed", detail: { ...change.detail, error: plainMessage(error) } });
    throw error;
  }
}

/** The door of the scope the caller runs in, if any (tests and diagnostics). */
export function currentAuditDoor(): AuditDoor | null {
  const scope = scopes.getStore();
  return scope && !scope.closed ? scope.door : null;
}
