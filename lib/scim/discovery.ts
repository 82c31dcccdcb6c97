import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, LIST_RESPONSE_SCHEMA, RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA, SERVICE_PROVIDER_CONFIG_SCHEMA, USER_SCHEMA } from "./schemas";

/** The discovery endpoints (RFC 7644 §4): what this server supports, stated once. */

export function serviceProviderConfig(base: string) {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    documentationUri: "https://datatracker.ietf.org/doc/html/rfc7644",
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: 1000 },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [{ type: "oauthbearertoken", name: "Bearer token", description: "A SCIM connector's token, created by a Listkeeper superuser under SCIM connectors.", primary: true }],
    meta: { resourceType: "ServiceProviderConfig", location: `${base}/ServiceProviderConfig` },
  };
}

export function resourceTypes(base: string) {
  return [
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: "User",
      name: "User",
      endpoint: "/Users",
      description: "A person of Listkeeper's registry",
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
      meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/User` },
    },
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: "Group",
      name: "Group",
      endpoint: "/Groups",
      description: "A group of Listkeeper's registry (bound to email lists)",
      schema: GROUP_SCHEMA,
      meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/Group` },
    },
  ];
}

const attr = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: "string",
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: "readWrite",
  returned: "default",
  uniqueness: "none",
  ...extra,
});

export function schemas(base: string) {
  return [
    {
      schemas: [SCHEMA_SCHEMA],
      id: USER_SCHEMA,
      name: "User",
      description: "User Account",
      attributes: [
        attr("userName", { required: true, uniqueness: "server" }),
        attr("externalId", { caseExact: true }),
        attr("name", { type: "complex", subAttributes: [attr("givenName"), attr("familyName"), attr("formatted")] }),
        attr("displayName"),
        attr("emails", { type: "complex", multiValued: true, subAttributes: [attr("value"), attr("type", { canonicalValues: ["work", "home", "other"] }), attr("primary", { type: "boolean" })] }),
        attr("active", { type: "boolean" }),
        attr("groups", { type: "complex", multiValued: true, mutability: "readOnly", subAttributes: [attr("value", { mutability: "readOnly" }), attr("display", { mutability: "readOnly" })] }),
      ],
      meta: { resourceType: "Schema", location: `${base}/Schemas/${USER_SCHEMA}` },
    },
    {
      schemas: [SCHEMA_SCHEMA],
      id: GROUP_SCHEMA,
      name: "Group",
      description: "Group",
      attributes: [
        attr("displayName", { required: true, uniqueness: "server" }),
        attr("externalId", { caseExact: true }),
        attr("members", { type: "complex", multiValued: true, subAttributes: [attr("value", { mutability: "immutable" }), attr("display", { mutability: "readOnly" }), attr("type", { canonicalValues: ["User"] })] }),
      ],
      meta: { resourceType: "Schema", location: `${base}/Schemas/${GROUP_SCHEMA}` },
    },
  ];
}

export function listOf(resources: readonly unknown[]) {
  return { schemas: [LIST_RESPONSE_SCHEMA], totalResults: resources.length, startIndex: 1, itemsPerPage: resources.length, Resources: resources };
}
