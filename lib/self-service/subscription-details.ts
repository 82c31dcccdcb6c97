import { z } from "zod";
import type { Viewer } from "@/lib/auth/users";
import { emailSchema } from "@/lib/auth/users";
import { ForbiddenError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { personOf } from "@/lib/identity/addresses";
import { ensureCoreUser, knownCoreUserId } from "@/lib/identity/core-user";
import { MailmanError, type MailmanClient, type Member } from "@/lib/mailman";
import { changeMemberAddress, getMember, removeMemberDirectly, getMemberPreferences, preferenceKeys, type PreferenceKey, type Preferences } from "@/lib/mailman/members";
import { getLevelPreferences, patchLevelPreferences, replaceLevelPreferences, systemPreferences, userIdOfLink, type PreferenceLevel } from "@/lib/mailman/users";
import { deliveryModes } from "@/lib/mailman/schemas";
import { clientForTarget } from "@/lib/targets/targets";
import { queryId } from "@/lib/validation/ids";

/**
 * One subscription's details (console.md §4.2, §4.3): its address, and the seven preferences at
 * the three levels a member controls: the subscription, the address, the account (core user).
 * Each field shows its effective value and where it comes from; "inherit" clears the level's
 * value. A page view only reads.
 */

export type LevelName = "subscription" | "address" | "account";
export const LEVEL_LABEL: Record<LevelName | "system", string> = {
  subscription: "this subscription",
  address: "your address",
  account: "your account",
  system: "the server's default",
};

export interface PreferenceRow {
  key: PreferenceKey;
  values: Record<LevelName, Preferences[PreferenceKey] | undefined>;
  system: Preferences[PreferenceKey] | undefined;
  effective: Preferences[PreferenceKey] | undefined;
  source: LevelName | "system";
}

export interface SubscriptionDetails {
  targetId: number;
  memberId: string;
  listId: string;
  email: string;
  via: "primary" | "address";
  userId: string | null;
  rows: PreferenceRow[];
}

/** Pure: the effective value of each key and the level it comes from. */
export function resolvePreferences(levels: Record<LevelName, Preferences>, system: Preferences): PreferenceRow[] {
  return preferenceKeys.map((key) => {
    const values = { subscription: levels.subscription[key], address: levels.address[key], account: levels.account[key] };
    const source = (["subscription", "address", "account"] as const).find((l) => values[l] !== undefined) ?? "system";
    return { key, values, system: system[key], effective: source === "system" ? system[key] : values[source], source };
  });
}

/** The membership, if it is one of the viewer's confirmed addresses' (CVE-2021-40347). */
async function ownMember(client: MailmanClient, viewer: Viewer, memberId: string): Promise<Member & { member_id: string; email: string; list_id: string }> {
  const member = await getMember(client, memberId);
  if (!member || member.role !== "member" || !member.member_id || !member.email || !member.list_id || !viewer.verifiedEmails.includes(member.email.toLowerCase())) {
    throw new NotFoundError("This subscription does not exist, or is not one of yours.");
  }
  return member as Member & { member_id: string; email: string; list_id: string };
}

export async function loadSubscription(viewer: Viewer, targetId: number, memberId: string): Promise<SubscriptionDetails> {
  const { client } = await clientForTarget(targetId);
  const member = await ownMember(client, viewer, memberId);
  const userId = (await knownCoreUserId(targetId, viewer.id)) ?? (member.user ? userIdOfLink(member.user) : null);
  const [subscription, address, account, system] = await Promise.all([
    getMemberPreferences(client, memberId),
    getLevelPreferences(client, { kind: "address", email: member.email }),
    userId ? getLevelPreferences(client, { kind: "user", userId }) : Promise.resolve({} as Preferences),
    systemPreferences(client),
  ]);
  return {
    targetId,
    memberId,
    listId: member.list_id,
    email: member.email.toLowerCase(),
    via: member.subscription_mode === "as_user" ? "primary" : "address",
    userId,
    rows: resolvePreferences({ subscription, address, account }, system),
  };
}

const valueSchemas: Record<PreferenceKey, z.ZodType> = {
  delivery_mode: z.enum(deliveryModes),
  // Members may switch delivery on and off; the other states belong to moderators and bounces.
  delivery_status: z.enum(["enabled", "by_user"]),
  acknowledge_posts: z.enum(["true", "false"]).transform((v) => v === "true"),
  hide_address: z.enum(["true", "false"]).transform((v) => v === "true"),
  receive_list_copy: z.enum(["true", "false"]).transform((v) => v === "true"),
  receive_own_postings: z.enum(["true", "false"]).transform((v) => v === "true"),
  preferred_language: z.string().regex(/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/, "Not a language code."),
};

export const savePreferenceSchema = z.object({
  targetId: queryId,
  memberId: z.string().regex(/^[0-9a-f]{32}$/i),
  level: z.enum(["subscription", "address", "account"]),
  key: z.enum(preferenceKeys),
  /** "inherit" clears the level's value. */
  value: z.string().max(40),
});

export async function savePreference(viewer: Viewer, raw: z.input<typeof savePreferenceSchema>): Promise<void> {
  const input = savePreferenceSchema.parse(raw);
  const { client } = await clientForTarget(input.targetId);
  const member = await ownMember(client, viewer, input.memberId);
  let level: PreferenceLevel;
  if (input.level === "subscription") level = { kind: "member", memberId: member.member_id };
  else if (input.level === "address") level = { kind: "address", email: member.email };
  else level = { kind: "user", userId: (await knownCoreUserId(input.targetId, viewer.id)) ?? (await ensureCoreUser(client, input.targetId, personOf(viewer))).userId };
  if (input.value === "inherit") {
    const current = await getLevelPreferences(client, level);
    if (current[input.key] === undefined) return;
    const { [input.key]: _cleared, ...kept } = current;
    await replaceLevelPreferences(client, level, kept);
    return;
  }
  const parsed = valueSchemas[input.key].safeParse(input.value);
  if (!parsed.success) throw new InvalidInputError(`That is not a value for ${input.key.replace(/_/g, " ")}.`, { field: input.key });
  await patchLevelPreferences(client, level, { [input.key]: parsed.data } as Preferences);
}

export const switchAddressSchema = z.object({
  targetId: queryId,
  memberId: z.string().regex(/^[0-9a-f]{32}$/i),
  to: z.union([z.literal("primary"), emailSchema]),
});

/**
 * Moves a subscription to another of the person's confirmed addresses, or to "primary address".
 * Between two addresses the core changes the membership in place (same id, same preferences);
 * to or from "primary address" it refuses (`Membership is via preferred address`), so the person
 * is subscribed anew first (the core allows both at once, Q-9), every preference of the old
 * subscription is copied (`false` ones too), and only then the old one is removed.
 */
export async function switchAddress(viewer: Viewer, raw: z.input<typeof switchAddressSchema>): Promise<{ memberId: string }> {
  const input = switchAddressSchema.parse(raw);
  if (input.to !== "primary" && !viewer.verifiedEmails.includes(input.to)) throw new ForbiddenError(`${input.to} is not one of your confirmed addresses.`);
  const { client } = await clientForTarget(input.targetId);
  const member = await ownMember(client, viewer, input.memberId);
  const fromPrimary = member.subscription_mode === "as_user";
  if (input.to !== "primary" && !fromPrimary) {
    if (input.to === member.email.toLowerCase()) return { memberId: member.member_id };
    try {
      await changeMemberAddress(client, member.member_id, input.to);
      return { memberId: member.member_id };
    } catch (error) {
      if (!(error instanceof MailmanError && error.status === 400)) throw error;
      // e.g. the address is not linked to the core user yet: fall through to resubscribing.
    }
  }
  if (input.to === "primary" && fromPrimary) return { memberId: member.member_id };
  const userId = (await knownCoreUserId(input.targetId, viewer.id)) ?? (await ensureCoreUser(client, input.targetId, personOf(viewer))).userId;
  const prefs = await getMemberPreferences(client, member.member_id);
  const created = await client.subscribe({
    listId: member.list_id,
    subscriber: input.to === "primary" ? userId : input.to,
    preVerified: true,
    preConfirmed: true,
    preApproved: true,
    sendWelcomeMessage: false,
  });
  if (created.kind !== "subscribed") throw new InvalidInputError("The Mailman server did not take the new address at once; your subscription is unchanged.");
  const copied = Object.fromEntries(Object.entries(prefs).filter(([, v]) => v !== undefined && v !== null));
  if (Object.keys(copied).length > 0) await patchLevelPreferences(client, { kind: "member", memberId: created.memberId }, copied as Preferences);
  // Removed directly, not through the unsubscription workflow: the person stays subscribed.
  await removeMemberDirectly(client, member.member_id);
  return { memberId: created.memberId };
}
