import { idParams } from "@/lib/api/v1";
import { authorizeEmailListOwner } from "@/lib/auth/email-list-access";
import { endpoint } from "@/lib/entry/endpoint";
import { listPreferencesOf } from "@/lib/registry/registry";

/** Superusers, or the owners of the Mailman list the email list is provisioned as (api-v1.md). */
export const GET = endpoint({ access: "signed_in", params: idParams }, async ({ params, viewer }) => {
  await authorizeEmailListOwner(viewer, params.id);
  return { items: await listPreferencesOf(params.id) };
});
