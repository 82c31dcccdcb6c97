import { z } from "zod";
import { endpoint, pageQuery } from "@/lib/entry/endpoint";
import { personCreateInput } from "@/lib/registry/inputs";
import { createPerson, findPeople } from "@/lib/registry/registry";

const query = pageQuery.extend({ email: z.string().max(254).optional(), externalId: z.string().max(200).optional(), q: z.string().max(200).optional() });

export const GET = endpoint({ access: "superuser", query }, async ({ query: q }) => ({ ...(await findPeople(q)), page: q.page, perPage: q.perPage }));

export const POST = endpoint({ access: "superuser", body: personCreateInput, audit: "registry.person" }, async ({ body, viewer }) => {
  const { value, jobIds } = await createPerson(body, viewer.id);
  return { ...value, jobIds };
}, { status: 201 });
