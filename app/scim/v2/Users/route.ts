import { scimEndpoint } from "@/lib/entry/scim-endpoint";
import { createUser, listUsers } from "@/lib/scim";

export const GET = scimEndpoint({}, async ({ connector, base, url }) => ({ body: await listUsers(connector, base, url) }));

export const POST = scimEndpoint({ audit: "registry.person" }, async ({ connector, base, body }) => {
  const { resource, jobIds } = await createUser(connector, base, body);
  return { status: 201, body: resource, etag: resource.meta!.version, location: resource.meta!.location, jobIds };
});
