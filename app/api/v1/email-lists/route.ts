import { endpoint, pageQuery } from "@/lib/entry/endpoint";
import { emailListCreateInput } from "@/lib/registry/inputs";
import { createEmailList, listEmailLists } from "@/lib/registry/registry";

export const GET = endpoint({ access: "superuser", query: pageQuery }, async ({ query: q }) => ({ ...(await listEmailLists(q.page, q.perPage)), page: q.page, perPage: q.perPage }));

export const POST = endpoint({ access: "superuser", body: emailListCreateInput, audit: "registry.email_list" }, async ({ body }) => {
  const { value, jobIds } = await createEmailList(body);
  return { ...value, jobIds };
}, { status: 201 });
