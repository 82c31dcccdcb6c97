import { idParams } from "@/lib/api/v1";
import { endpoint } from "@/lib/entry/endpoint";
import { groupMembers } from "@/lib/registry/registry";

export const GET = endpoint({ access: "superuser", params: idParams }, async ({ params }) => {
  const items = await groupMembers(params.id);
  return { items, page: 1, perPage: items.length, total: items.length };
});
