import type { z } from "zod";
import { auditStep, noteChange, type AuditAction } from "@/lib/audit";
import { forgetListRoles } from "@/lib/auth/list-roles";
import type { ListAccess } from "@/lib/auth/list-access";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { MailmanError, type Member } from "@/lib/mailman";
import {
  changeMemberAddress,
  getEffectivePreferences,
  getMember,
  getMemberPreferences,
  patchMemberPreferences,
  preferenceKeys,
  removeRole,
  resetMemberPreferences,
  setModerationAction,
  unsubscribeMember,
  type PreferenceKey,
  type Preferences,
  type UnsubscribeResult,
} from "@/lib/mailman/members";
import {
  addStaffSchema,
  changeAddressSchema,
  INHERIT,
  moderationSchema,
  preferencesSchema,
  removeStaffSchema,
  unsubscribeSchema,
  type PreferencesForm,
  type StaffRole,
} from "./member-input";

/**
 * One membership of a list (console.md §3.6 "Member options", §4.3) and the owner and moderator
 * rosters. Every function takes the guard's `ListAccess` and first checks that the member belongs
 * to that list: a member id from another list is "not found", never acted on.
 */

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.at(-1)?.toString();
  throw new InvalidInputError(issue?.message ?? "The request was not valid.", { field });
}

const NOT_HERE = "That member is not on this list (any more). Reload the roster.";

async function memberOfList(access: ListAccess, memberId: string): Promise<Member> {
  const member = await getMember(access.client, memberId);
  if (!member || member.list_id !== access.list.list_id) throw new NotFoundError(NOT_HERE);
  return member;
}

/** Describes a change made to the list's members (the door's audit scope writes it). */
function audit(access: ListAccess, action: AuditAction, detail: Record<string, unknown>) {
  return noteChange({ targetId: access.target.id, action, subject: access.list.list_id, detail });
}

/** The core call that makes the change, described: a refusal is noted as failed. */
function step<T>(access: ListAccess, action: AuditAction, detail: Record<string, unknown>, work: () => Promise<T>): Promise<T> {
  return auditStep({ targetId: access.target.id, action, subject: access.list.list_id, detail }, work);
}

export interface MemberDetail {
  member: Member;
  /** Values set on the membership itself; absent keys are inherited. */
  own: Preferences;
  /** Effective values (the core omits `hide_address` here). */
  effective: Preferences;
}

/** Three core calls: the member, its own preferences and its effective preferences. */
export async function loadMember(access: ListAccess, memberId: string): Promise<MemberDetail> {
  if (!/^[0-9a-f]{32}$/i.test(memberId)) throw new NotFoundError(NOT_HERE);
  const member = await memberOfList(access, memberId);
  const [own, effective] = await Promise.all([getMemberPreferences(access.client, memberId), getEffectivePreferences(access.client, memberId)]);
  return { member, own, effective };
}

export async function updateModeration(access: ListAccess, input: z.input<typeof moderationSchema>): Promise<void> {
  const { memberId, action } = parse(moderationSchema, input);
  const member = await memberOfList(access, memberId);
  await step(access, "member.moderation", { email: member.email, memberId, from: member.moderation_action ?? "default", to: action }, () =>
    setModerationAction(access.client, memberId, action === "default" ? null : action),
  );
}

/** The form's values as the core's preferences; inherited keys are left out. */
export function preferencesFromForm(form: PreferencesForm): Preferences {
  const out: Record<string, unknown> = {};
  for (const key of preferenceKeys) {
    const value = form[key];
    if (value === INHERIT) continue;
    out[key] = value === "true" ? true : value === "false" ? false : value;
  }
  return out as Preferences;
}

/**
 * Saves the membership's own preferences. The core cannot clear one key (see
 * `resetMemberPreferences`), so when a key goes back to "inherit" every key is reset and the ones
 * still set are written again: two calls, and a failure between them leaves all inherited.
 */
export async function updatePreferences(access: ListAccess, input: z.input<typeof preferencesSchema>): Promise<{ changed: PreferenceKey[] }> {
  const { memberId, preferences } = parse(preferencesSchema, input);
  const member = await memberOfList(access, memberId);
  const current = await getMemberPreferences(access.client, memberId);
  const wanted = preferencesFromForm(preferences);
  // Disabled-by-bounces is the core's own verdict: an owner may keep it or lift it, not set it.
  if (wanted.delivery_status === "by_bounces" && current.delivery_status !== "by_bounces") {
    throw new InvalidInputError("Only Mailman's bounce processing disables delivery because of bounces. Choose another status.", { field: "delivery_status" });
  }
  const changed = preferenceKeys.filter((key) => current[key] !== wanted[key]);
  if (changed.length === 0) return { changed };
  const cleared = changed.some((key) => wanted[key] === undefined);
  if (cleared) {
    await resetMemberPreferences(access.client, memberId);
    if (Object.keys(wanted).length > 0) await patchMemberPreferences(access.client, memberId, wanted);
  } else {
    const patch = Object.fromEntries(changed.map((key) => [key, wanted[key]])) as Preferences;
    await patchMemberPreferences(access.client, memberId, patch);
  }
  await audit(access, "member.preferences", {
    email: member.email,
    memberId,
    changes: Object.fromEntries(changed.map((key) => [key, { from: current[key] ?? INHERIT, to: wanted[key] ?? INHERIT }])),
  });
  return { changed };
}

export async function changeAddress(access: ListAccess, input: z.input<typeof changeAddressSchema>): Promise<{ email: string }> {
  const { memberId, email } = parse(changeAddressSchema, input);
  const member = await memberOfList(access, memberId);
  if (member.subscription_mode === "as_user") {
    throw new InvalidInputError("This member is subscribed with their account's primary address, which follows the account; change the primary address instead.", {
      field: "email",
    });
  }
  if (member.email === email) throw new InvalidInputError("That is already the subscribed address.", { field: "email" });
  await step(access, "member.address", { memberId, from: member.email, to: email }, () => changeAddressInCore(access, memberId, email));
  return { email };
}

async function changeAddressInCore(access: ListAccess, memberId: string, email: string): Promise<void> {
  try {
    await changeMemberAddress(access.client, memberId, email);
  } catch (error) {
    if (error instanceof MailmanError && error.status === 400) {
      const text = error.description ?? "";
      const message = /unverified/i.test(text)
        ? `${email} is not verified yet. The member must confirm it first.`
        : /not registered/i.test(text)
          ? `${email} is not one of this member's addresses. Only a verified address of the same person can take over a subscription.`
          : `Mailman refused the new address: ${error.userMessage}`;
      throw new InvalidInputError(message, { field: "email", cause: error });
    }
    throw error;
  }
}

/** Removes a member (workflow; may need a moderator) or a nonmember. Owners and moderators: `removeStaff`. */
export async function unsubscribe(access: ListAccess, input: z.input<typeof unsubscribeSchema>): Promise<UnsubscribeResult & { email: string }> {
  const { memberId } = parse(unsubscribeSchema, input);
  const member = await memberOfList(access, memberId);
  if (member.role === "owner" || member.role === "moderator") {
    throw new InvalidInputError(`Remove ${member.role}s from the ${member.role}s tab of the roster.`);
  }
  const result = await auditStep(
    { targetId: access.target.id, action: "member.unsubscribe", subject: access.list.list_id, detail: { email: member.email, memberId, role: member.role } },
    async (): Promise<UnsubscribeResult> => {
      try {
        return await unsubscribeMember(access.client, memberId);
      } catch (error) {
        if (error instanceof MailmanError && error.status === 404) throw new NotFoundError(NOT_HERE, { cause: error });
        throw error;
      }
    },
    (done) => ({ result: done.kind }),
  );
  return { ...result, email: member.email ?? "" };
}

export async function addStaff(access: ListAccess, input: z.input<typeof addStaffSchema>): Promise<{ email: string; role: StaffRole }> {
  const { role, email } = parse(addStaffSchema, input);
  await step(access, `${role}.add`, { email }, () => addStaffInCore(access, role, email));
  return { email, role };
}

async function addStaffInCore(access: ListAccess, role: StaffRole, email: string): Promise<void> {
  try {
    await access.client.subscribe({ listId: access.list.list_id, subscriber: email, role, preVerified: true, preConfirmed: true, preApproved: true });
  } catch (error) {
    if (error instanceof MailmanError && (error.status === 400 || error.status === 409)) {
      const text = error.description ?? "";
      // Duplicate owner/moderator → 400 "x is already an owner of L".
      if (/already/i.test(text) || error.status === 409) throw new ConflictError(`${email} is already a ${role} of this list.`, { field: "email", cause: error });
      if (/banned/i.test(text)) throw new InvalidInputError(`${email} is banned from this list, so it cannot be a ${role}.`, { field: "email", cause: error });
      throw new InvalidInputError(`Mailman refused ${email}: ${error.userMessage}`, { field: "email", cause: error });
    }
    throw error;
  } finally {
    forgetListRoles(access.target.id, access.list.list_id);
  }
}

/**
 * Removes an owner or moderator. The core would remove the last owner too, leaving a list
 * nobody administers but superusers: refused here, after reading the owner roster (one call).
 */
export async function removeStaff(access: ListAccess, input: z.input<typeof removeStaffSchema>): Promise<{ email: string; role: StaffRole }> {
  const { role, email } = parse(removeStaffSchema, input);
  if (role === "owner") {
    const owners = (await access.client.fullRoster(access.list.list_id, "owner", ["email"])).map((m) => m.email?.toLowerCase());
    if (!owners.includes(email)) throw new NotFoundError(`${email} is not an owner of this list (any more). Reload the page.`);
    if (owners.length <= 1) throw new ConflictError(`${email} is the list's last owner. Add another owner first.`);
  }
  await step(access, `${role}.remove`, { email }, async () => {
    try {
      await removeRole(access.client, access.list.list_id, role, email);
    } catch (error) {
      if (error instanceof MailmanError && error.status === 404) throw new NotFoundError(`${email} is not a ${role} of this list (any more). Reload the page.`, { cause: error });
      throw error;
    } finally {
      forgetListRoles(access.target.id, access.list.list_id);
    }
  });
  return { email, role };
}
