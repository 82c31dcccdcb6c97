import { z } from "zod";

/**
 * Response shapes of the core's REST API 3.1 (mailman-rest.md §7). Keys whose value is null are
 * usually omitted by the core, and `fields=` projection drops others, so most keys are optional.
 * Unknown keys are stripped: user `password` hashes never pass through this layer.
 */

export const versionsSchema = z.object({
  mailman_version: z.string(),
  python_version: z.string(),
  api_version: z.string(),
});
export type Versions = z.infer<typeof versionsSchema>;

function buildCollectionSchema<T extends z.ZodType>(entry: T) {
  return z.object({
    start: z.number().int(),
    total_size: z.number().int(),
    // The core omits `entries` when the collection is empty (mailman-rest.md §1).
    entries: z.array(entry).optional().default([]),
  });
}

// One collection schema per entry schema for the life of the process: zod compiles a schema on
// its first parse, and a fresh one per call cost every roster page that compilation (issue 13).
const collections = new WeakMap<z.ZodType, unknown>();

export function collectionSchema<T extends z.ZodType>(entry: T): ReturnType<typeof buildCollectionSchema<T>> {
  let schema = collections.get(entry) as ReturnType<typeof buildCollectionSchema<T>> | undefined;
  if (!schema) {
    schema = buildCollectionSchema(entry);
    collections.set(entry, schema);
  }
  return schema;
}
export interface Page<T> {
  start: number;
  total: number;
  entries: T[];
}

export const domainSchema = z.object({
  mail_host: z.string(),
  description: z.string().nullish(),
  alias_domain: z.string().nullish(),
  self_link: z.string(),
});
export type Domain = z.infer<typeof domainSchema>;

export const mailingListSchema = z.object({
  list_id: z.string(),
  fqdn_listname: z.string(),
  list_name: z.string(),
  mail_host: z.string(),
  // A list created with an unknown style has these as null.
  display_name: z.string().nullish(),
  description: z.string().nullish(),
  advertised: z.boolean().nullish(),
  member_count: z.number().int().nullish(),
  volume: z.number().int().nullish(),
  self_link: z.string(),
  http_etag: z.string().optional(),
});
export type MailingList = z.infer<typeof mailingListSchema>;

export const listStylesSchema = z.object({
  style_names: z.array(z.string()),
  styles: z.array(z.object({ name: z.string(), description: z.string() })),
  default: z.string(),
});
export type ListStyles = z.infer<typeof listStylesSchema>;

export const memberRoles = ["member", "owner", "moderator", "nonmember"] as const;
export type MemberRole = (typeof memberRoles)[number];
export const deliveryModes = ["regular", "plaintext_digests", "mime_digests", "summary_digests"] as const;
export const deliveryStatuses = ["enabled", "by_user", "by_bounces", "by_moderator", "unknown"] as const;
export const moderationActions = ["hold", "reject", "discard", "accept", "defer"] as const;

export const memberSchema = z.object({
  member_id: z.string().optional(),
  email: z.string().optional(),
  role: z.enum(memberRoles).optional(),
  list_id: z.string().optional(),
  display_name: z.string().nullish(),
  subscription_mode: z.enum(["as_user", "as_address"]).optional(),
  delivery_mode: z.string().optional(),
  delivery_status: z.string().optional(),
  moderation_action: z.string().nullish(),
  bounce_score: z.number().nullish(),
  last_bounce_received: z.string().nullish(),
  last_warning_sent: z.string().nullish(),
  total_warnings_sent: z.number().nullish(),
  address: z.string().optional(),
  user: z.string().optional(),
  self_link: z.string().optional(),
});
export type Member = z.infer<typeof memberSchema>;
export type MemberField = keyof Member;

export const userSchema = z.object({
  user_id: z.string(),
  display_name: z.string().nullish(),
  created_on: z.string(),
  is_server_owner: z.boolean(),
  self_link: z.string(),
});
export type MailmanUser = z.infer<typeof userSchema>;

export const addressSchema = z.object({
  email: z.string(),
  original_email: z.string(),
  display_name: z.string().nullish(),
  registered_on: z.string(),
  verified_on: z.string().nullish(),
  user: z.string().optional(),
  self_link: z.string(),
});
export type MailmanAddress = z.infer<typeof addressSchema>;

/** List configuration: 75 writable keys plus read-only ones; typed per field by the settings feature. */
export const listConfigSchema = z.record(z.string(), z.unknown());
export type ListConfig = z.infer<typeof listConfigSchema>;

export const pendingTokenSchema = z.object({ token: z.string(), token_owner: z.string() });
export type PendingToken = z.infer<typeof pendingTokenSchema>;

export const systemSectionSchema = z.record(z.string(), z.string());
