import { z } from "zod";
import type { MailmanClient } from "./client";
import { MailmanError } from "./errors";
import { deliveryModes, deliveryStatuses, memberSchema, pendingTokenSchema, type Member, type MemberRole } from "./schemas";

/**
 * One membership and its preferences (console.md §3.6, §4.3; mailman-rest.md §7.4). The roster
 * calls themselves (`roster`, `findMembers`) live in client.ts.
 */

const enc = encodeURIComponent;

export const preferenceKeys = [
  "delivery_mode",
  "delivery_status",
  "acknowledge_posts",
  "hide_address",
  "receive_list_copy",
  "receive_own_postings",
  "preferred_language",
] as const;
export type PreferenceKey = (typeof preferenceKeys)[number];

/** Preferences set on one level; a missing key is inherited from the next level (§4.3). */
export const preferencesSchema = z.object({
  delivery_mode: z.enum(deliveryModes).optional(),
  delivery_status: z.enum(deliveryStatuses).optional(),
  acknowledge_posts: z.boolean().optional(),
  hide_address: z.boolean().optional(),
  receive_list_copy: z.boolean().optional(),
  receive_own_postings: z.boolean().optional(),
  preferred_language: z.string().optional(),
});
export type Preferences = z.infer<typeof preferencesSchema>;

export function getMember(client: MailmanClient, memberId: string): Promise<Member | null> {
  return client.getOrNull(`/members/${enc(memberId)}`, memberSchema);
}

/** The preferences set on the membership itself (keys that are inherited are absent). */
export function getMemberPreferences(client: MailmanClient, memberId: string): Promise<Preferences> {
  return client.get(`/members/${enc(memberId)}/preferences`, preferencesSchema);
}

/**
 * The effective preferences, resolved member → address → user → system. The core leaves
 * `hide_address` out of this answer (console.md §4.3).
 */
export function getEffectivePreferences(client: MailmanClient, memberId: string): Promise<Preferences> {
  return client.get(`/members/${enc(memberId)}/all/preferences`, preferencesSchema);
}

/** `null` resets the moderation action to the list's default. */
export function setModerationAction(client: MailmanClient, memberId: string, action: string | null): Promise<void> {
  return client.send("PATCH", `/members/${enc(memberId)}`, { moderation_action: action });
}

/**
 * Only for `as_address` members; the new address must be a verified address of the same user
 * (`400 Unverified address`, `400 Address not registered`, `400 Membership is via preferred address`).
 */
export function changeMemberAddress(client: MailmanClient, memberId: string, email: string): Promise<void> {
  return client.send("PATCH", `/members/${enc(memberId)}`, { address: email });
}

export function patchMemberPreferences(client: MailmanClient, memberId: string, patch: Preferences): Promise<void> {
  return client.send("PATCH", `/members/${enc(memberId)}/preferences`, patch);
}

/**
 * Resets every preference of the membership to "inherit". The core cannot reset a single key:
 * PATCH refuses `null` and `""`, PUT with nulls answers 500 (verified on 3.3.8).
 */
export function resetMemberPreferences(client: MailmanClient, memberId: string): Promise<void> {
  return client.send("DELETE", `/members/${enc(memberId)}/preferences`);
}

export type UnsubscribeResult = { kind: "removed" } | { kind: "pending"; token: string };

/**
 * Unsubscribes through the core's workflow (pre-confirmed): `202` when the list's
 * unsubscription policy needs a moderator, and then a second call would file a second
 * request.
 */
export async function unsubscribeMember(client: MailmanClient, memberId: string): Promise<UnsubscribeResult> {
  const response = await client.request("DELETE", `/members/${enc(memberId)}`);
  if (response.status === 202) return { kind: "pending", token: pendingTokenSchema.parse(response.data).token };
  return { kind: "removed" };
}

/**
 * Removes one membership by id without the unsubscription workflow (`pre_approved`,
 * `pre_confirmed` in the query: a moderated policy does not hold it). For moving a subscription,
 * where the person stays subscribed through a new membership.
 */
export function removeMemberDirectly(client: MailmanClient, memberId: string): Promise<void> {
  return client.request("DELETE", `/members/${enc(memberId)}`, { query: { pre_approved: "true", pre_confirmed: "true" } }).then(() => undefined);
}

/**
 * Removes an owner, moderator or nonmember directly (no workflow). The core also removes the
 * last owner: callers must refuse that themselves.
 */
export function removeRole(client: MailmanClient, listId: string, role: Exclude<MemberRole, "member">, email: string): Promise<void> {
  return client.send("DELETE", `/lists/${enc(listId)}/${role}/${enc(email)}`);
}

/**
 * Direct removal of many members in one call, `DELETE /lists/{id}/roster/member` (console.md
 * §3.5): no unsubscription workflow, no goodbye message, no notice to the owners. The core matches
 * the stored lower-cased address case-sensitively, so addresses are lower-cased here.
 * Answers `{address: true}` for a removed member and `false` for an address that was not one.
 */
export async function removeMembersInBulk(client: MailmanClient, listId: string, emails: readonly string[]): Promise<Map<string, boolean>> {
  const lowered = [...new Set(emails.map((e) => e.toLowerCase()))];
  const response = await client.request("DELETE", `/lists/${enc(listId)}/roster/member`, { body: { emails: lowered } });
  if (response.status !== 200) throw new Error(`Unexpected ${response.status} for DELETE /lists/{id}/roster/member`);
  const answer = z.record(z.string(), z.unknown()).parse(response.data);
  return new Map(lowered.map((email) => [email, answer[email] === true]));
}

export type AddressUnsubscribeResult = UnsubscribeResult | { kind: "not_member" };

/**
 * Unsubscribes one address through the workflow (`DELETE /lists/{id}/member/{email}`): the list's
 * unsubscription policy applies and the goodbye message and owner notice are sent.
 */
export async function unsubscribeAddress(client: MailmanClient, listId: string, email: string): Promise<AddressUnsubscribeResult> {
  try {
    const response = await client.request("DELETE", `/lists/${enc(listId)}/member/${enc(email)}`);
    if (response.status === 202) return { kind: "pending", token: pendingTokenSchema.parse(response.data).token };
    return { kind: "removed" };
  } catch (error) {
    if (error instanceof MailmanError && error.status === 404) return { kind: "not_member" };
    throw error;
  }
}
