import { z } from "zod";
import { endpoint, idParam } from "@/lib/entry/endpoint";
import { membershipInput } from "@/lib/registry/inputs";
import { deleteMembership, putMembership } from "@/lib/registry/registry";

const params = z.object({ id: idParam, personId: idParam });

export const PUT = endpoint({ access: "superuser", params, body: membershipInput, audit: "registry.group" }, async ({ params: p, body }) => {
  const { value, jobIds } = await putMembership(p.id, p.personId, body);
  return { ...value, jobIds };
});

export const DELETE = endpoint({ access: "superuser", params, audit: "registry.group" }, async ({ params: p }) => ({ jobIds: (await deleteMembership(p.id, p.personId)).jobIds }));
