import { dryRunPlan, idParams } from "@/lib/api/v1";
import { dryRunQuery, endpoint } from "@/lib/entry/endpoint";
import { getPerson, personTargetIds, provisionPerson } from "@/lib/registry/registry";
import { queryId } from "@/lib/validation/ids";

const query = dryRunQuery.extend({ targetId: queryId.optional() });

/** Manual provision: P5 ignoring the sync hash (api-v1.md). */
export const POST = endpoint({ access: "superuser", params: idParams, query, audit: "provisioning.run" }, async ({ params, query: q }) => {
  if (q.dryRun) {
    await getPerson(params.id);
    const targets = q.targetId ? [q.targetId] : await personTargetIds(params.id);
    return dryRunPlan(targets.map((targetId) => ({ targetId, subjectType: "person" as const, subjectId: params.id, action: "provision" })));
  }
  return { jobIds: (await provisionPerson(params.id, q.targetId)).jobIds };
});
