import { dryRunPlan, idParams } from "@/lib/api/v1";
import { dryRunQuery, endpoint } from "@/lib/entry/endpoint";
import { getEmailList, provisionEmailList } from "@/lib/registry/registry";

/** P2 + P4; `?dryRun=true` answers the plan and changes nothing. */
export const POST = endpoint({ access: "superuser", params: idParams, query: dryRunQuery, audit: "provisioning.run" }, async ({ params, query }) => {
  if (query.dryRun) {
    const list = await getEmailList(params.id);
    return dryRunPlan([{ targetId: list.targetId, subjectType: "list", subjectId: list.id, action: "provision" }]);
  }
  return { jobIds: (await provisionEmailList(params.id)).jobIds };
});
