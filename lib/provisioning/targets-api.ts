import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { provisionerTargets } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { columnToWelcomeChoice, welcomeChoiceToColumn } from "@/lib/targets/target-input";
import { createTarget, deleteTarget, updateTarget } from "@/lib/targets/targets";
import { dispatch, queueJobs } from "./enqueue";
import { releaseQueuedJobs } from "./job-store";
import { modeRules, TARGET_MODES } from "./modes";
import { bodyId } from "@/lib/validation/ids";

/**
 * Provisioner targets in the JSON API's shape (api-v1.md "Provisioner targets"), over
 * lib/targets (which checks the server, P0, and creates the domain, P1).
 */

const policy = {
  mode: z.enum(TARGET_MODES),
  provisionGroupId: bodyId.nullable(),
  prefEmailType: z.string().trim().min(1).max(40).nullable(),
  unmanagedEmailMode: z.enum(["remove", "ignore"]),
  addressConflictMode: z.enum(["fail", "adopt", "absorb"]),
  userCreation: z.enum(["lazy", "all_active"]),
  sendWelcomeMessage: z.boolean().nullable(),
  quietUnsubscribe: z.boolean(),
  syncDisplayName: z.boolean(),
  deleteStaleAddresses: z.boolean(),
  retryIntervalS: z.number().int().min(1).max(86_400),
  maxRetry: z.number().int().min(0).max(100),
};

export const targetCreateInput = z.object({
  name: z.string().trim().min(1).max(100),
  serverUrl: z.string().min(1).max(500),
  adminUser: z.string().min(1).max(200),
  adminPassword: z.string().min(1).max(500),
  domain: z.string().min(1).max(253),
  mode: policy.mode.default("automatic"),
  provisionGroupId: policy.provisionGroupId.default(null),
  prefEmailType: policy.prefEmailType.default(null),
  unmanagedEmailMode: policy.unmanagedEmailMode.default("remove"),
  addressConflictMode: policy.addressConflictMode.default("fail"),
  userCreation: policy.userCreation.default("lazy"),
  sendWelcomeMessage: policy.sendWelcomeMessage.default(false),
  quietUnsubscribe: policy.quietUnsubscribe.default(true),
  syncDisplayName: policy.syncDisplayName.default(true),
  deleteStaleAddresses: policy.deleteStaleAddresses.default(true),
  retryIntervalS: policy.retryIntervalS.default(900),
  maxRetry: policy.maxRetry.default(5),
});

export const targetUpdateInput = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  serverUrl: z.string().min(1).max(500).optional(),
  adminUser: z.string().min(1).max(200).optional(),
  adminPassword: z.string().min(1).max(500).optional(),
  domain: z.string().min(1).max(253).optional(),
  ...Object.fromEntries(Object.entries(policy).map(([k, v]) => [k, v.optional()])),
}) as unknown as z.ZodType<Partial<z.infer<typeof targetCreateInput>>>;

type Row = typeof provisionerTargets.$inferSelect;

export function targetView(row: Row) {
  return {
    id: row.id,
    name: row.name,
    serverUrl: row.serverUrl,
    adminUser: row.adminUser,
    domain: row.domain,
    mode: row.mode,
    provisionGroupId: row.provisionGroupId,
    prefEmailType: row.prefEmailType,
    unmanagedEmailMode: row.unmanagedEmailMode,
    addressConflictMode: row.addressConflictMode,
    userCreation: row.userCreation,
    sendWelcomeMessage: row.sendWelcomeMessage,
    quietUnsubscribe: row.quietUnsubscribe,
    syncDisplayName: row.syncDisplayName,
    deleteStaleAddresses: row.deleteStaleAddresses,
    retryIntervalS: row.retryIntervalS,
    maxRetry: row.maxRetry,
  };
}

async function row(id: number): Promise<Row> {
  const db = await getDb();
  const [r] = await db.select().from(provisionerTargets).where(eq(provisionerTargets.id, id));
  if (!r) throw new NotFoundError(`There is no target ${id}.`);
  return r;
}

export async function getTargetView(id: number) {
  return targetView(await row(id));
}

export async function listTargetViews() {
  const db = await getDb();
  const rows = await db.select().from(provisionerTargets).orderBy(provisionerTargets.id);
  return rows.map(targetView);
}

function policyColumns(input: Partial<z.infer<typeof targetCreateInput>>) {
  const out: Partial<typeof provisionerTargets.$inferInsert> = {};
  for (const key of ["mode", "provisionGroupId", "retryIntervalS", "maxRetry"] as const) if (input[key] !== undefined) (out as Record<string, unknown>)[key] = input[key];
  return out;
}

const summaryInput = (r: Row) => ({
  name: r.name,
  description: r.description,
  serverUrl: r.serverUrl,
  adminUser: r.adminUser,
  domain: r.domain,
  prefEmailType: r.prefEmailType ?? "",
  unmanagedEmailMode: r.unmanagedEmailMode,
  addressConflictMode: r.addressConflictMode,
  userCreation: r.userCreation,
  welcomeMessage: columnToWelcomeChoice(r.sendWelcomeMessage),
  quietUnsubscribe: r.quietUnsubscribe,
  syncDisplayName: r.syncDisplayName,
  deleteStaleAddresses: r.deleteStaleAddresses,
  mode: r.mode,
  retryIntervalS: r.retryIntervalS,
  maxRetry: r.maxRetry,
});

export async function createTargetFromApi(input: z.infer<typeof targetCreateInput>) {
  const created = await createTarget(
    {
      name: input.name,
      serverUrl: input.serverUrl,
      adminUser: input.adminUser,
      adminPassword: input.adminPassword,
      domain: input.domain,
      prefEmailType: input.prefEmailType ?? "",
      unmanagedEmailMode: input.unmanagedEmailMode,
      addressConflictMode: input.addressConflictMode,
      userCreation: input.userCreation,
      welcomeMessage: columnToWelcomeChoice(input.sendWelcomeMessage),
      quietUnsubscribe: input.quietUnsubscribe,
      syncDisplayName: input.syncDisplayName,
      deleteStaleAddresses: input.deleteStaleAddresses,
    }
  );
  const db = await getDb();
  await db.update(provisionerTargets).set(policyColumns(input)).where(eq(provisionerTargets.id, created.id));
  return { ...(await getTargetView(created.id)), jobIds: [] as number[] };
}

const RECONCILE_KEYS = ["provisionGroupId", "prefEmailType", "unmanagedEmailMode", "addressConflictMode"] as const;

/**
 * Connection changes go through lib/targets (checked, P0 + P1); policies are stored without
 * reaching the server, so a target whose server is down can still be set to manual or disabled.
 */
export async function updateTargetFromApi(id: number, input: Partial<z.infer<typeof targetCreateInput>>, actor: string) {
  const before = await row(id);
  const connection = input.serverUrl !== undefined || input.adminUser !== undefined || input.adminPassword !== undefined || input.domain !== undefined;
  const merged = { ...summaryInput(before) };
  for (const key of ["name", "serverUrl", "adminUser", "domain", "unmanagedEmailMode", "addressConflictMode", "userCreation", "quietUnsubscribe", "syncDisplayName", "deleteStaleAddresses"] as const) {
    if (input[key] !== undefined) (merged as Record<string, unknown>)[key] = input[key];
  }
  if (input.prefEmailType !== undefined) merged.prefEmailType = input.prefEmailType ?? "";
  if (input.sendWelcomeMessage !== undefined) merged.welcomeMessage = columnToWelcomeChoice(input.sendWelcomeMessage);
  const db = await getDb();
  if (connection) {
    await updateTarget({ ...merged, id, adminPassword: input.adminPassword ?? "" });
  } else {
    await db
      .update(provisionerTargets)
      .set({
        name: merged.name,
        prefEmailType: merged.prefEmailType || null,
        unmanagedEmailMode: merged.unmanagedEmailMode,
        addressConflictMode: merged.addressConflictMode,
        userCreation: merged.userCreation,
        sendWelcomeMessage: welcomeChoiceToColumn(merged.welcomeMessage),
        quietUnsubscribe: merged.quietUnsubscribe,
        syncDisplayName: merged.syncDisplayName,
        deleteStaleAddresses: merged.deleteStaleAddresses,
        updatedAt: sql`now()`,
      })
      .where(eq(provisionerTargets.id, id));
  }
  await db.update(provisionerTargets).set(policyColumns(input)).where(eq(provisionerTargets.id, id));
  const after = await row(id);
  const jobIds = await reconcileIfPoliciesChanged(before, after, actor);
  return { ...targetView(after), jobIds };
}

/** The target's row as stored, for `reconcileIfPoliciesChanged` (console saves too). */
export const targetRow = (id: number) => row(id);

/**
 * One rule for every door (the API's PATCH and the console's form), after a target is saved:
 * - a change of a policy that decides who is subscribed with which address queues a reconcile
 *   of the whole target (its id is answered);
 * - a target that leaves queue mode for one that runs changes at once runs the changes waiting
 *   for the queue run now (they would otherwise wait for a run that no longer belongs to it).
 */
export async function reconcileIfPoliciesChanged(before: Row, after: Row, actor: string): Promise<number[]> {
  if (before.mode === "queue" && after.mode !== "queue" && modeRules(after.mode).explicitRuns) {
    await dispatch(await releaseQueuedJobs(after.id)).catch(() => {});
  }
  if (!RECONCILE_KEYS.some((k) => after[k] !== before[k])) return [];
  const jobIds = await queueJobs([{ targetId: after.id, subjectType: "target", subjectId: after.id, action: "reconcile", requestedBy: actor }]);
  await dispatch(jobIds).catch(() => {});
  return jobIds;
}

/** The policies whose change is planned before it is saved (lib/registry/plan-request.ts). */
export const policyChangeInput = z.object({
  prefEmailType: policy.prefEmailType,
  unmanagedEmailMode: policy.unmanagedEmailMode,
  addressConflictMode: policy.addressConflictMode,
});

/** Removes Listkeeper's mappings only; Mailman is untouched. */
export async function deleteTargetFromApi(id: number) {
  const r = await row(id);
  await deleteTarget(id, r.name);
  return { jobIds: [] as number[] };
}

export async function queueTargetRun(id: number, action: "reconcile" | "repair" | "sweep", actor: string) {
  await row(id);
  const job = action === "sweep" ? { targetId: id, subjectType: "sweep" as const, subjectId: null, action: "sweep", requestedBy: actor } : { targetId: id, subjectType: "target" as const, subjectId: id, action, requestedBy: actor };
  const jobIds = await queueJobs([job], { explicit: true });
  await dispatch(jobIds).catch(() => {});
  return { jobIds, job };
}
