import { scimEndpoint } from "@/lib/entry/scim-endpoint";
import { project } from "@/lib/scim/filter";
import { getGroupResource, patchGroupResource, removeGroupResource, replaceGroupResource, scimIdParams } from "@/lib/scim";

export const GET = scimEndpoint({ params: scimIdParams }, async ({ connector, base, params, url }) => {
  const resource = await getGroupResource(connector, base, params.id);
  return { body: project(resource, url), etag: resource.meta!.version };
});

export const PUT = scimEndpoint({ params: scimIdParams, audit: "registry.group" }, async ({ connector, base, params, body, ifMatch }) => {
  const { resource, jobIds } = await replaceGroupResource(connector, base, params.id, body, ifMatch);
  return { body: resource, etag: resource.meta!.version, jobIds };
});

export const PATCH = scimEndpoint({ params: scimIdParams, audit: "registry.group" }, async ({ connector, base, params, body, ifMatch }) => {
  const { resource, jobIds } = await patchGroupResource(connector, base, params.id, body, ifMatch);
  return { body: resource, etag: resource.meta!.version, jobIds };
});

export const DELETE = scimEndpoint({ params: scimIdParams, audit: "registry.group" }, async ({ connector, base, params, ifMatch }) => ({
  status: 204,
  jobIds: (await removeGroupResource(connector, base, params.id, ifMatch)).jobIds,
}));
