import { endpoint } from "@/lib/entry/endpoint";
import { createTargetFromApi, listTargetViews, targetCreateInput } from "@/lib/provisioning/targets-api";

export const GET = endpoint({ access: "superuser" }, async () => {
  const items = await listTargetViews();
  return { items, page: 1, perPage: items.length, total: items.length };
});

export const POST = endpoint({ access: "superuser", body: targetCreateInput }, ({ body }) => createTargetFromApi(body), { status: 201 });
