import { idParams } from "@/lib/api/v1";
import { endpoint } from "@/lib/entry/endpoint";
import { emailListUpdateInput } from "@/lib/registry/inputs";
import { deleteEmailList, getEmailList, updateEmailList } from "@/lib/registry/registry";

export const GET = endpoint({ access: "superuser", params: idParams }, ({ params }) => getEmailList(params.id));

export const PATCH = endpoint({ access: "superuser", params: idParams, body: emailListUpdateInput, audit: "registry.email_list" }, async ({ params, body }) => {
  const { value, jobIds } = await updateEmailList(params.id, body);
  return { ...value, jobIds };
});

/** Removes the Mailman list too (P7). */
export const DELETE = endpoint({ access: "superuser", params: idParams, audit: "registry.email_list" }, async ({ params }) => ({ jobIds: (await deleteEmailList(params.id)).jobIds }));
