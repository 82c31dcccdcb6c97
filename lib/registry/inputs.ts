import { z } from "zod";
import { PERSON_STATUSES } from "@/lib/provisioning/desired";
import { bodyId } from "@/lib/validation/ids";

/**
 * Input schemas of the registry, in the JSON API's camelCase shapes (api-v1.md). The API, the
 * CLI and pages parse with these and call lib/registry; nothing validates a second way.
 */

const email = z.email({ message: "not a valid e-mail address" }).max(254);
const nullableDate = z.iso.datetime({ offset: true }).nullable().optional();

export const emailInput = z.object({
  id: bodyId.optional(),
  address: email,
  type: z.string().trim().min(1).max(40).default("official"),
  verified: z.boolean().default(false),
});

export const personCreateInput = z.object({
  displayName: z.string().trim().max(200).default(""),
  givenName: z.string().trim().max(200).default(""),
  familyName: z.string().trim().max(200).default(""),
  status: z.enum(PERSON_STATUSES).default("active"),
  externalId: z.string().trim().min(1).max(200).nullable().default(null),
  emails: z.array(emailInput).max(50).default([]),
});
export type PersonCreateInput = z.infer<typeof personCreateInput>;

export const personUpdateInput = z.object({
  displayName: z.string().trim().max(200).optional(),
  givenName: z.string().trim().max(200).optional(),
  familyName: z.string().trim().max(200).optional(),
  status: z.enum(PERSON_STATUSES).optional(),
  externalId: z.string().trim().min(1).max(200).nullable().optional(),
  emails: z.array(emailInput).max(50).optional(),
});
export type PersonUpdateInput = z.infer<typeof personUpdateInput>;

export const emailPatchInput = z.object({ address: email.optional(), type: z.string().trim().min(1).max(40).optional(), verified: z.boolean().optional() });

export const groupCreateInput = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).default(""),
  status: z.enum(["active", "suspended"]).default("active"),
  externalId: z.string().trim().min(1).max(200).nullable().default(null),
});
export const groupUpdateInput = groupCreateInput.partial();

export const membershipInput = z
  .object({ member: z.boolean().default(true), owner: z.boolean().default(false), validFrom: nullableDate, validThrough: nullableDate })
  .refine((m) => !m.validFrom || !m.validThrough || Date.parse(m.validFrom) < Date.parse(m.validThrough), { message: "validThrough must be after validFrom", path: ["validThrough"] });

/** RFC 5322 dot-atom local part, in Mailman's list name characters (lower-cased when provisioned). */
const listName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, "a list name is letters, digits, '-', '_' and single dots");

const groupRef = bodyId.nullable();

export const emailListCreateInput = z.object({
  targetId: bodyId,
  name: listName,
  description: z.string().max(2000).default(""),
  status: z.enum(["active", "suspended"]).default("active"),
  membershipMode: z.enum(["group", "self_service"]).default("group"),
  membersGroupId: groupRef.default(null),
  adminsGroupId: groupRef.default(null),
  moderatorsGroupId: groupRef.default(null),
  eligibilityGroupId: groupRef.default(null),
});
export const emailListUpdateInput = emailListCreateInput.omit({ targetId: true }).partial();

export const preferenceInput = z.object({ subscribed: z.boolean().nullable() });
