import { dryRunPlan, idParams } from "@/lib/api/v1";
import { dryRunQuery, endpoint } from "@/lib/entry/endpoint";
import { getTargetView, queueTargetRun } from "@/lib/provisioning/targets-api";

export const POST = endpoint({ access: "superuser", params: idParams, query: dryRunQuery, audit: "provisioning.run" }, async ({ params, query, viewer }) => {
  if (query.dryRun) {
    await getTargetView(params.id);
    return dryRunPlan([{ targetId: params.id, subjectType: "target", subjectId: params.id, action: "reconcile" }]);
  }
  return { jobIds: (await queueTargetRun(params.id, "reconcile", viewer.id)).jobIds };
});
