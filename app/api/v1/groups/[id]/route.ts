import { idParams } from "@/lib/api/v1";
import { endpoint } from "@/lib/entry/endpoint";
import { groupUpdateInput } from "@/lib/registry/inputs";
import { deleteGroup, getGroup, updateGroup } from "@/lib/registry/registry";

export const GET = endpoint({ access: "superuser", params: idParams }, ({ params }) => getGroup(params.id));

export const PATCH = endpoint({ access: "superuser", params: idParams, body: groupUpdateInput, audit: "registry.group" }, async ({ params, body }) => {
  const { value, jobIds } = await updateGroup(params.id, body);
  return { ...value, jobIds };
});

export const DELETE = endpoint({ access: "superuser", params: idParams, audit: "registry.group" }, async ({ params }) => ({ jobIds: (await deleteGroup(params.id)).jobIds }));
