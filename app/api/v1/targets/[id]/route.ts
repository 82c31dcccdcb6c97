import { idParams } from "@/lib/api/v1";
import { endpoint } from "@/lib/entry/endpoint";
import { deleteTargetFromApi, getTargetView, targetUpdateInput, updateTargetFromApi } from "@/lib/provisioning/targets-api";

export const GET = endpoint({ access: "superuser", params: idParams }, ({ params }) => getTargetView(params.id));
export const PATCH = endpoint({ access: "superuser", params: idParams, body: targetUpdateInput }, ({ params, body, viewer }) => updateTargetFromApi(params.id, body, viewer.id));
export const DELETE = endpoint({ access: "superuser", params: idParams }, ({ params }) => deleteTargetFromApi(params.id));
