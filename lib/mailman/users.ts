import { z } from "zod";
import type { MailmanClient } from "./client";
import { MailmanError } from "./errors";
import { addressSchema, memberSchema, type MailmanAddress, type MailmanUser, type Member } from "./schemas";
import { preferencesSchema, type Preferences } from "./members";

/**
 * Core users and their addresses (mailman-rest.md §7.3, Q-4). Shared by member self-service
 * (lib/identity) and provisioning (lib/provisioning): both keep one core user per person per
 * server and must follow the same order — add → verify → set preferred → delete stale — so that
 * no `as_user` membership is ever orphaned.
 *
 * Each call here answers "already so" as success where the core's answer allows it (§8.7), and
 * never sends `absorb_existing` unless absorbing is meant: the core treats `false` as true.
 */

const enc = encodeURIComponent;

function lastPathSegment(location: string): string {
  const segment = location.replace(/\/+$/, "").split("/").pop();
  if (!segment) throw new Error(`Unexpected Location header: ${location}`);
  return decodeURIComponent(segment);
}

/** `POST /users`; returns the new user id. 400 "User already exists" when the address has a user. */
export async function createUser(
  client: MailmanClient,
  input: { email: string; displayName?: string },
): Promise<string> {
  const body: Record<string, unknown> = { email: input.email };
  if (input.displayName) body.display_name = input.displayName;
  return lastPathSegment(await client.create("/users", body));
}

export function getUser(client: MailmanClient, idOrEmail: string): Promise<MailmanUser | null> {
  return client.getUser(idOrEmail);
}

export async function deleteUser(client: MailmanClient, userId: string): Promise<"deleted" | "absent"> {
  try {
    await client.send("DELETE", `/users/${enc(userId)}`);
    return "deleted";
  } catch (error) {
    if (error instanceof MailmanError && error.status === 404) return "absent";
    throw error;
  }
}

export function patchUserDisplayName(client: MailmanClient, userId: string, displayName: string): Promise<void> {
  return client.send("PATCH", `/users/${enc(userId)}`, { display_name: displayName });
}

export type LinkAddressResult = "linked" | "already_linked" | "owned_by_other_user";

/**
 * `POST /users/{id}/addresses`. The core answers 400 "Address belongs to other user" both when
 * the address is this user's already and when another user holds it; a GET tells them apart.
 */
export async function linkAddress(
  client: MailmanClient,
  userId: string,
  email: string,
  options: { absorbExisting?: true; displayName?: string } = {},
): Promise<LinkAddressResult> {
  const body: Record<string, unknown> = { email };
  if (options.displayName) body.display_name = options.displayName;
  if (options.absorbExisting) body.absorb_existing = true;
  try {
    await client.create(`/users/${enc(userId)}/addresses`, body);
    return "linked";
  } catch (error) {
    if (!(error instanceof MailmanError) || error.status !== 400) throw error;
    const address = await client.getAddress(email);
    if (!address?.user) throw error;
    return userIdOfLink(address.user) === userId ? "already_linked" : "owned_by_other_user";
  }
}

/** The user id at the end of an address's `user` link. */
export function userIdOfLink(link: string): string {
  return lastPathSegment(link);
}

/** `POST /addresses/{email}/verify`: 204, idempotent. */
export function verifyAddress(client: MailmanClient, email: string): Promise<void> {
  return client.send("POST", `/addresses/${enc(email)}/verify`);
}

/** `POST /users/{id}/preferred_address`: 201, also when it is already the preferred one. */
export async function setPreferredAddress(client: MailmanClient, userId: string, email: string): Promise<void> {
  await client.create(`/users/${enc(userId)}/preferred_address`, { email });
}

export async function getPreferredAddress(client: MailmanClient, userId: string): Promise<MailmanAddress | null> {
  return client.getOrNull(`/users/${enc(userId)}/preferred_address`, addressSchema);
}

/**
 * `DELETE /addresses/{email}`: removes every membership bound to the address. Callers move the
 * preferred address away first. A missing address is success.
 */
export async function deleteAddress(client: MailmanClient, email: string): Promise<"deleted" | "absent"> {
  try {
    await client.send("DELETE", `/addresses/${enc(email)}`);
    return "deleted";
  } catch (error) {
    if (error instanceof MailmanError && error.status === 404) return "absent";
    throw error;
  }
}

export function userAddresses(client: MailmanClient, userId: string): Promise<MailmanAddress[]> {
  return client.userAddresses(userId);
}

export function getAddress(client: MailmanClient, email: string): Promise<MailmanAddress | null> {
  return client.getAddress(email);
}

export function patchAddressDisplayName(client: MailmanClient, email: string, displayName: string): Promise<void> {
  return client.send("PATCH", `/addresses/${enc(email)}`, { display_name: displayName });
}

/**
 * Preferences set on the core user, one address or one membership (keys absent are inherited,
 * console.md §4.3: member → address → user → system).
 */
export type PreferenceLevel = { kind: "user"; userId: string } | { kind: "address"; email: string } | { kind: "member"; memberId: string };

function preferencesPath(level: PreferenceLevel): string {
  switch (level.kind) {
    case "user":
      return `/users/${enc(level.userId)}/preferences`;
    case "address":
      return `/addresses/${enc(level.email)}/preferences`;
    case "member":
      return `/members/${enc(level.memberId)}/preferences`;
  }
}

const preferencesAnswerSchema = preferencesSchema.passthrough().transform((value): Preferences => {
  const { self_link: _selfLink, http_etag: _etag, ...rest } = value as Record<string, unknown>;
  return preferencesSchema.parse(rest);
});

export function getLevelPreferences(client: MailmanClient, level: PreferenceLevel): Promise<Preferences> {
  return client.get(preferencesPath(level), preferencesAnswerSchema);
}

/** PATCH the given keys on one level; keys not given keep their value. */
export function patchLevelPreferences(client: MailmanClient, level: PreferenceLevel, patch: Preferences): Promise<void> {
  return client.send("PATCH", preferencesPath(level), patch);
}

/**
 * PUT sends the whole level at once. It does NOT clear keys left out: the core answers
 * `400 Missing Parameter: …` unless all seven are given, and `500` when one of them is null
 * (pinned by lib/self-service/subscription-details.int.test.ts). To make keys inherited again, use
 * `replaceLevelPreferences`.
 */
export function putLevelPreferences(client: MailmanClient, level: PreferenceLevel, values: Preferences): Promise<void> {
  return client.send("PUT", preferencesPath(level), values);
}

export const userIdSchema = z.string().regex(/^[0-9a-f]{32}$/i, "a Mailman user id is 32 hex digits");

/**
 * Every membership (all roles, all lists) whose address is `email`: its `as_address` ones and
 * the `as_user` ones of the user whose preferred address it is. One call for up to 500 (Q-10:
 * a user id does not work here, so self-service asks per verified address).
 */
export function membershipsOfAddress(client: MailmanClient, email: string): Promise<Member[]> {
  return client.all("/members/find", memberSchema, { subscriber: email });
}

/** The system-wide defaults, the last level of every preference (console.md §4.3). */
export function systemPreferences(client: MailmanClient): Promise<Preferences> {
  return client.get("/system/preferences", preferencesAnswerSchema);
}

/** `DELETE …/preferences`: every key of the level is inherited again. */
export function resetLevelPreferences(client: MailmanClient, level: PreferenceLevel): Promise<void> {
  return client.send("DELETE", preferencesPath(level));
}

/**
 * Makes the level hold exactly `values`; keys not given are inherited again. The core cannot clear
 * one key (PATCH refuses null, PUT needs all seven and fails on null), so the level is reset and
 * the kept keys are written back: `false` values included, since they are choices too.
 */
export async function replaceLevelPreferences(client: MailmanClient, level: PreferenceLevel, values: Preferences): Promise<void> {
  await resetLevelPreferences(client, level);
  const kept = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== null));
  if (Object.keys(kept).length > 0) await patchLevelPreferences(client, level, kept as Preferences);
}
