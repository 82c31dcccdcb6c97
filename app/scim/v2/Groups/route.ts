import { scimEndpoint } from "@/lib/entry/scim-endpoint";
import { createGroupResource, listGroupResources } from "@/lib/scim";

export const GET = scimEndpoint({}, async ({ connector, base, url }) => ({ body: await listGroupResources(connector, base, url) }));

export const POST = scimEndpoint({ audit: "registry.group" }, async ({ connector, base, body }) => {
  const { resource, jobIds } = await createGroupResource(connector, base, body);
  return { status: 201, body: resource, etag: resource.meta!.version, location: resource.meta!.location, jobIds };
});
