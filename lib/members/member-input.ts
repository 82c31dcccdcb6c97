import { z } from "zod";
import { deliveryModes } from "@/lib/mailman/schemas";
import { LANGUAGES } from "@/lib/settings/catalogue";
import { queryId } from "@/lib/validation/ids";

/**
 * Input schemas of the member and role actions, shared by the forms (client) and lib/members
 * (server). No server imports here: client components import this file.
 */

/** Moderation actions offered for a member; never `defer` (no chain exists for it, Q-2). */
export const memberModerationChoices = ["default", "hold", "reject", "discard", "accept"] as const;
export type MemberModerationChoice = (typeof memberModerationChoices)[number];

/** Delivery statuses an owner may set; `by_bounces` is only kept, never chosen (console.md §3.6). */
export const adminDeliveryStatuses = ["enabled", "by_user", "by_moderator"] as const;

export const INHERIT = "inherit";

const memberRef = {
  targetId: queryId,
  listId: z.string().min(1).max(320),
  memberId: z.string().regex(/^[0-9a-f]{32}$/i, "That is not a member id."),
};

const email = z
  .string()
  .trim()
  .min(1, "Enter an e-mail address.")
  .max(254, "That address is too long.")
  .pipe(z.email("Enter a valid e-mail address."))
  .transform((value) => value.toLowerCase());

export const emailFormSchema = z.object({ email });

export const moderationSchema = z.object({ ...memberRef, action: z.enum(memberModerationChoices) });

const tristate = z.enum([INHERIT, "true", "false"]);

/** Every key is sent: "inherit" clears the membership's own value (§4.3). */
export const preferencesFormSchema = z.object({
  delivery_mode: z.enum([INHERIT, ...deliveryModes]),
  delivery_status: z.enum([INHERIT, ...adminDeliveryStatuses, "by_bounces"]),
  acknowledge_posts: tristate,
  hide_address: tristate,
  receive_list_copy: tristate,
  receive_own_postings: tristate,
  preferred_language: z
    .string()
    .trim()
    .refine((v) => v === INHERIT || LANGUAGES.some((l) => l.value === v), "Choose one of the languages offered, or the list's default."),
});
export type PreferencesForm = z.infer<typeof preferencesFormSchema>;

export const preferencesSchema = z.object({ ...memberRef, preferences: preferencesFormSchema });

export const changeAddressSchema = z.object({ ...memberRef, email });

export const unsubscribeSchema = z.object(memberRef);

export const staffRoles = ["owner", "moderator"] as const;
export type StaffRole = (typeof staffRoles)[number];

export const addStaffSchema = z.object({
  targetId: memberRef.targetId,
  listId: memberRef.listId,
  role: z.enum(staffRoles),
  email,
});

export const removeStaffSchema = addStaffSchema;

/** Words a list admin reads, for the core's enum values (console.md §4.3). */
export const LABELS = {
  role: { member: "Members", nonmember: "Non-members", moderator: "Moderators", owner: "Owners" },
  deliveryMode: {
    regular: "Regular",
    plaintext_digests: "Plain-text digests",
    mime_digests: "MIME digests",
    summary_digests: "Summary digests",
  },
  deliveryStatus: {
    enabled: "Enabled",
    by_user: "Disabled by the member",
    by_moderator: "Disabled by an owner",
    by_bounces: "Disabled by bounces",
    unknown: "Disabled (unknown reason)",
  },
  moderation: { default: "List default", hold: "Hold", reject: "Reject", discard: "Discard", accept: "Accept" },
} as const;

export function label(map: Record<string, string>, value: string | null | undefined, fallback = "—"): string {
  if (value == null || value === "") return fallback;
  return map[value] ?? value;
}
