import { scimEndpoint } from "@/lib/entry/scim-endpoint";
import { serviceProviderConfig } from "@/lib/scim";

export const GET = scimEndpoint({}, async ({ base }) => ({ body: serviceProviderConfig(base) }));
