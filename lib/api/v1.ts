import { z } from "zod";
import { idParam } from "@/lib/validation/ids";
import { eventView, getJob, jobItems, listEvents, listJobs, type ProvisioningJob } from "@/lib/provisioning/job-store";
import { planJob } from "@/lib/provisioning/run-job";
import type { NewProvisioningJob } from "@/lib/provisioning/job-store";
import { NotFoundError } from "@/lib/errors";
import { pageNumber, queryId } from "@/lib/validation/ids";

/** Shapes of the JSON API v1 answers (api-v1.md), shared by its routes and the CLI. */

export function jobView(job: ProvisioningJob, items: Awaited<ReturnType<typeof jobItems>>) {
  return {
    id: job.id,
    targetId: job.targetId,
    subjectType: job.subjectType,
    subjectId: job.subjectId,
    action: job.action,
    status: job.status,
    attempts: job.attempts,
    nextAttemptAt: job.status === "queued" ? job.nextAttemptAt.toISOString() : null,
    lastError: job.lastError,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    items: items.map((i) => ({
      ...(i.personId !== null ? { personId: i.personId } : {}),
      ...(i.emailListId !== null ? { emailListId: i.emailListId } : {}),
      ...(i.email !== null ? { email: i.email } : {}),
      ...(i.role !== null ? { role: i.role } : {}),
      outcome: i.outcome,
      message: i.message,
    })),
  };
}

export async function jobById(id: number) {
  const job = await getJob(id);
  if (!job) throw new NotFoundError(`There is no job ${id}.`);
  return jobView(job, await jobItems(id, job.attempts));
}

export const jobsQuery = z.object({
  status: z.enum(["queued", "running", "succeeded", "partial", "failed"]).optional(),
  targetId: queryId.optional(),
  subjectType: z.enum(["person", "group", "list", "target", "sweep"]).optional(),
  subjectId: queryId.optional(),
  page: pageNumber,
  perPage: z.coerce.number().int().min(1).max(500).default(50),
});

export async function jobsList(q: z.infer<typeof jobsQuery>) {
  const { rows, total } = await listJobs({ ...q, limit: q.perPage, offset: (q.page - 1) * q.perPage });
  return { items: await Promise.all(rows.map(async (j) => jobView(j, await jobItems(j.id, j.attempts)))), page: q.page, perPage: q.perPage, total };
}

export const eventsQuery = z.object({
  personId: queryId.optional(),
  emailListId: queryId.optional(),
  jobId: queryId.optional(),
});

export async function eventsList(q: z.infer<typeof eventsQuery>) {
  const rows = await listEvents(q);
  return {
    items: rows.map(eventView),
  };
}

/** `?dryRun=true`: the plan of every job the call would queue; nothing is queued. */
export async function dryRunPlan(jobs: readonly NewProvisioningJob[]) {
  const plan = [];
  for (const job of jobs) plan.push(...(await planJob(job)));
  return { plan: plan.map((p) => ({ emailListId: p.emailListId ?? null, mailmanListId: p.mailmanListId ?? null, role: p.role ?? null, op: p.op, email: p.email ?? null, ...(p.personId ? { personId: p.personId } : {}), reason: p.reason })) };
}

export const idParams = z.object({ id: idParam });
