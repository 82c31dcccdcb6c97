import { scimEndpoint } from "@/lib/entry/scim-endpoint";
import { getUser, patchUser, removeUser, replaceUser, scimIdParams } from "@/lib/scim";
import { project } from "@/lib/scim/filter";

export const GET = scimEndpoint({ params: scimIdParams }, async ({ connector, base, params, url }) => {
  const resource = await getUser(connector, base, params.id);
  return { body: project(resource, url), etag: resource.meta!.version };
});

export const PUT = scimEndpoint({ params: scimIdParams, audit: "registry.person" }, async ({ connector, base, params, body, ifMatch }) => {
  const { resource, jobIds } = await replaceUser(connector, base, params.id, body, ifMatch);
  return { body: resource, etag: resource.meta!.version, jobIds };
});

export const PATCH = scimEndpoint({ params: scimIdParams, audit: "registry.person" }, async ({ connector, base, params, body, ifMatch }) => {
  const { resource, jobIds } = await patchUser(connector, base, params.id, body, ifMatch);
  return { body: resource, etag: resource.meta!.version, jobIds };
});

export const DELETE = scimEndpoint({ params: scimIdParams, audit: "registry.person" }, async ({ connector, base, params, ifMatch }) => ({
  status: 204,
  jobIds: (await removeUser(connector, base, params.id, ifMatch)).jobIds,
}));
