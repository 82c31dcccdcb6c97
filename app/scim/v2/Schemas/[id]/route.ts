import { scimEndpoint } from "@/lib/entry/scim-endpoint";
import { NotFoundError } from "@/lib/errors";
import { schemas, scimIdParams } from "@/lib/scim";

export const GET = scimEndpoint({ params: scimIdParams }, async ({ base, params }) => {
  const found = schemas(base).find((s) => s.id === params.id);
  if (!found) throw new NotFoundError(`There is no schema ${params.id}.`);
  return { body: found };
});
