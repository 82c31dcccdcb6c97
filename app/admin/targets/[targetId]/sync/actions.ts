"use server";

import { z } from "zod";
import { superuserAction } from "@/lib/actions/safe-action";
import { auditStep } from "@/lib/audit";
import { getEmailList } from "@/lib/registry/registry";
import { applySelfServiceInit, planSelfServiceInit } from "@/lib/registry/self-service";
import { jobRow, liveJobs, retryJobNow, runQueuedJobsNow } from "@/lib/provisioning/sync-console";
import { NotFoundError } from "@/lib/errors";
import { queryId } from "@/lib/validation/ids";

const targetRef = z.object({ targetId: queryId });
const jobRef = targetRef.extend({ jobId: queryId });
const listRef = targetRef.extend({ emailListId: queryId });

/** Polled by the sync page every ~2 s while a job runs. */
export const liveJobsAction = superuserAction.inputSchema(targetRef).action(({ parsedInput }) => liveJobs(parsedInput.targetId));

export const jobStatusAction = superuserAction.inputSchema(jobRef).action(({ parsedInput }) => jobRow(parsedInput.jobId, parsedInput.targetId));

export const retryNowAction = superuserAction.inputSchema(jobRef).action(async ({ parsedInput }) =>
  auditStep({ action: "provisioning.run", subject: `job ${parsedInput.jobId}`, targetId: parsedInput.targetId, detail: { retryNow: true } }, () =>
    retryJobNow(parsedInput.jobId, parsedInput.targetId),
  ),
);

/** The queue run of a queue-mode server, now. */
export const runQueuedNowAction = superuserAction.inputSchema(targetRef).action(async ({ parsedInput }) => {
  const result = await auditStep({ action: "provisioning.run", subject: "queued jobs", targetId: parsedInput.targetId, detail: { queueRunNow: true } }, () => runQueuedJobsNow(parsedInput.targetId));
  return { count: result.jobIds.length };
});

async function selfServiceListOf(targetId: number, emailListId: number) {
  const list = await getEmailList(emailListId);
  if (list.targetId !== targetId) throw new NotFoundError(`There is no email list ${emailListId} on this server.`);
  return list;
}

/** The IXP init's report, computed and not saved (preview before it is saved). */
export const previewInitAction = superuserAction.inputSchema(listRef).action(async ({ parsedInput }) => {
  await selfServiceListOf(parsedInput.targetId, parsedInput.emailListId);
  const { set: _set, ...plan } = await planSelfServiceInit(parsedInput.emailListId);
  return plan;
});

export const applyInitAction = superuserAction.inputSchema(listRef.extend({ fingerprint: z.string().regex(/^[0-9a-f]{64}$/) })).action(async ({ parsedInput }) => {
  await selfServiceListOf(parsedInput.targetId, parsedInput.emailListId);
  return auditStep(
    { action: "registry.preference", targetId: parsedInput.targetId, subject: `email list ${parsedInput.emailListId}`, detail: { init: true } },
    () => applySelfServiceInit(parsedInput.emailListId, parsedInput.fingerprint),
    (result) => ({ saved: result.saved }),
  );
});
