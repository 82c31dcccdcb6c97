import { idParams } from "@/lib/api/v1";
import { endpoint } from "@/lib/entry/endpoint";
import { queueTargetRun } from "@/lib/provisioning/targets-api";

export const POST = endpoint({ access: "superuser", params: idParams, audit: "provisioning.run" }, async ({ params, viewer }) => {
  return { jobIds: (await queueTargetRun(params.id, "sweep", viewer.id)).jobIds };
});
