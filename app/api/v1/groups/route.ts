import { endpoint, pageQuery } from "@/lib/entry/endpoint";
import { groupCreateInput } from "@/lib/registry/inputs";
import { createGroup, listGroups } from "@/lib/registry/registry";

export const GET = endpoint({ access: "superuser", query: pageQuery }, async ({ query: q }) => ({ ...(await listGroups(q.page, q.perPage)), page: q.page, perPage: q.perPage }));

export const POST = endpoint({ access: "superuser", body: groupCreateInput, audit: "registry.group" }, async ({ body }) => {
  const { value, jobIds } = await createGroup(body);
  return { ...value, jobIds };
}, { status: 201 });
