import { idParams } from "@/lib/api/v1";
import { endpoint } from "@/lib/entry/endpoint";
import { personUpdateInput } from "@/lib/registry/inputs";
import { deletePerson, getPerson, updatePerson } from "@/lib/registry/registry";

export const GET = endpoint({ access: "superuser", params: idParams }, ({ params }) => getPerson(params.id));

export const PATCH = endpoint({ access: "superuser", params: idParams, body: personUpdateInput, audit: "registry.person" }, async ({ params, body, viewer }) => {
  const { value, jobIds } = await updatePerson(params.id, body, viewer.id);
  return { ...value, jobIds };
});

export const DELETE = endpoint({ access: "superuser", params: idParams, audit: "registry.person" }, async ({ params, viewer }) => ({ jobIds: (await deletePerson(params.id, viewer.id)).jobIds }));
