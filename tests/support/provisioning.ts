import { getJob, jobItems } from "@/lib/provisioning/job-store";
import { runProvisioningJob } from "@/lib/provisioning/run-job";
import { withMailmanCallLog, type MailmanCallRecord } from "@/lib/mailman/instrumentation";

/** Runs queued provisioning jobs in this process (no worker), and returns the core calls made. */
export async function runJobs(ids: readonly number[]): Promise<{ calls: MailmanCallRecord[]; writes: MailmanCallRecord[] }> {
  const { calls } = await withMailmanCallLog(async () => {
    for (const id of ids) {
      for (let i = 0; i < 5; i++) {
        const result = await runProvisioningJob(id, { workerId: "test" });
        if (result !== "busy") break;
        const job = await getJob(id);
        if (job && job.status !== "queued" && job.status !== "running") break;
      }
    }
  });
  return { calls, writes: calls.filter((c) => c.method !== "GET") };
}

export async function jobReport(id: number) {
  const job = await getJob(id);
  if (!job) throw new Error(`no job ${id}`);
  return { job, items: await jobItems(id, job.attempts) };
}
