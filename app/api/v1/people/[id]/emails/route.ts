import { idParams } from "@/lib/api/v1";
import { endpoint } from "@/lib/entry/endpoint";
import { emailInput } from "@/lib/registry/inputs";
import { addEmail } from "@/lib/registry/registry";

export const POST = endpoint({ access: "superuser", params: idParams, body: emailInput.omit({ id: true }), audit: "registry.person" }, async ({ params, body }) => {
  const { value, jobIds } = await addEmail(params.id, body);
  return { ...value, jobIds };
}, { status: 201 });
