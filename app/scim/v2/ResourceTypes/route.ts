import { scimEndpoint } from "@/lib/entry/scim-endpoint";
import { listOf, resourceTypes } from "@/lib/scim";

export const GET = scimEndpoint({}, async ({ base }) => ({ body: listOf(resourceTypes(base)) }));
