import { scimEndpoint } from "@/lib/entry/scim-endpoint";
import { listOf, schemas } from "@/lib/scim";

export const GET = scimEndpoint({}, async ({ base }) => ({ body: listOf(schemas(base)) }));
