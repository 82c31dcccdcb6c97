import { z } from "zod";
import { endpoint, idParam } from "@/lib/entry/endpoint";
import { emailPatchInput } from "@/lib/registry/inputs";
import { deleteEmail, patchEmail } from "@/lib/registry/registry";

const params = z.object({ id: idParam, emailId: idParam });

export const PATCH = endpoint({ access: "superuser", params, body: emailPatchInput, audit: "registry.person" }, async ({ params: p, body }) => {
  const { value, jobIds } = await patchEmail(p.id, p.emailId, body);
  return { ...value, jobIds };
});

export const DELETE = endpoint({ access: "superuser", params, audit: "registry.person" }, async ({ params: p }) => ({ jobIds: (await deleteEmail(p.id, p.emailId)).jobIds }));
