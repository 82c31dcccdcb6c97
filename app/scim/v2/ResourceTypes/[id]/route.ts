import { scimEndpoint } from "@/lib/entry/scim-endpoint";
import { NotFoundError } from "@/lib/errors";
import { resourceTypes, scimIdParams } from "@/lib/scim";

export const GET = scimEndpoint({ params: scimIdParams }, async ({ base, params }) => {
  const found = resourceTypes(base).find((r) => r.id === params.id);
  if (!found) throw new NotFoundError(`There is no resource type ${params.id}.`);
  return { body: found };
});
