import type { ListSnapshot } from "@/db/schema/list-disablements";

/**
 * Disabling a list in one step, and undoing it, as pure state arithmetic: the four manual steps
 * site admins do today (replace the owners by a site address, discard every post, ban everyone,
 * mark the description) are the difference between the list's state and a wanted state. One
 * executor (lib/lists/disable.ts) moves a list to a wanted state, whichever direction, and can be
 * run again after a failure; these functions say what that state is and what changes get there.
 */

export type { ListSnapshot };

export const DISABLE_MODES = ["disabled", "archived"] as const;
export type DisableMode = (typeof DISABLE_MODES)[number];

/** Bans every address: nobody can subscribe or take a role. */
export const BAN_EVERYONE = "^.*@.*";

export const DESCRIPTION_PREFIX: Record<DisableMode, string> = { disabled: "[Disabled] ", archived: "[Archived] " };

export const MODE_LABEL: Record<DisableMode, string> = { disabled: "Disabled", archived: "Archived" };

/** The description with the mode's prefix, once (a description already marked keeps its mark). */
export function markedDescription(description: string, mode: DisableMode): string {
  const prefix = DESCRIPTION_PREFIX[mode];
  return description.startsWith(prefix) ? description : `${prefix}${description}`;
}

const lower = (email: string) => email.toLowerCase();

/** What a disabled list looks like: the placeholder owns it, posts are discarded, everyone is banned. */
export function disabledState(previous: ListSnapshot, mode: DisableMode, placeholderOwner: string): ListSnapshot {
  return {
    owners: [{ email: lower(placeholderOwner), displayName: null }],
    defaultMemberAction: "discard",
    defaultNonmemberAction: "discard",
    bans: previous.bans.some((b) => b === BAN_EVERYONE) ? [...previous.bans] : [...previous.bans, BAN_EVERYONE],
    description: markedDescription(previous.description, mode),
  };
}

export interface StateChanges {
  ownersToAdd: ListSnapshot["owners"];
  ownersToRemove: string[];
  memberAction: { from: string | null; to: string | null } | null;
  nonmemberAction: { from: string | null; to: string | null } | null;
  description: { from: string; to: string } | null;
  bansToAdd: string[];
  bansToRemove: string[];
}

/** Owners are compared case-insensitively (the core stores addresses lower-cased); bans exactly. */
export function stateChanges(current: ListSnapshot, wanted: ListSnapshot): StateChanges {
  const currentOwners = new Set(current.owners.map((o) => lower(o.email)));
  const wantedOwners = new Set(wanted.owners.map((o) => lower(o.email)));
  const currentBans = new Set(current.bans);
  const wantedBans = new Set(wanted.bans);
  return {
    ownersToAdd: wanted.owners.filter((o) => !currentOwners.has(lower(o.email))),
    ownersToRemove: current.owners.map((o) => lower(o.email)).filter((e) => !wantedOwners.has(e)),
    memberAction: current.defaultMemberAction === wanted.defaultMemberAction ? null : { from: current.defaultMemberAction, to: wanted.defaultMemberAction },
    nonmemberAction:
      current.defaultNonmemberAction === wanted.defaultNonmemberAction ? null : { from: current.defaultNonmemberAction, to: wanted.defaultNonmemberAction },
    description: current.description === wanted.description ? null : { from: current.description, to: wanted.description },
    bansToAdd: wanted.bans.filter((b) => !currentBans.has(b)),
    bansToRemove: current.bans.filter((b) => !wantedBans.has(b)),
  };
}

export function isEmptyChange(changes: StateChanges): boolean {
  return (
    changes.ownersToAdd.length === 0 &&
    changes.ownersToRemove.length === 0 &&
    !changes.memberAction &&
    !changes.nonmemberAction &&
    !changes.description &&
    changes.bansToAdd.length === 0 &&
    changes.bansToRemove.length === 0
  );
}

const ACTION_LABEL: Record<string, string> = {
  hold: "Hold for moderation",
  reject: "Reject",
  discard: "Discard",
  accept: "Accept",
  defer: "Default processing",
};

export const actionLabel = (action: string | null) => (action === null ? "unset (style default)" : (ACTION_LABEL[action] ?? action));

/** One line of the plan shown before anything is sent, in the order the executor sends it. */
export interface PlanLine {
  what: string;
  from: string;
  to: string;
}

/**
 * The changes in words, in the executor's order: bans are removed first (so that restored owners
 * are not refused as banned), owners added before any is removed (the list is never left without
 * one), then the settings, and new bans last (so that the placeholder owner is not refused).
 */
export function describeChanges(changes: StateChanges): PlanLine[] {
  const lines: PlanLine[] = [];
  for (const ban of changes.bansToRemove) lines.push({ what: "Ban", from: ban, to: "removed" });
  for (const owner of changes.ownersToAdd) lines.push({ what: "Owner", from: "—", to: `${owner.email} added` });
  for (const email of changes.ownersToRemove) lines.push({ what: "Owner", from: email, to: "removed" });
  if (changes.memberAction) lines.push({ what: "Default action for members' posts", from: actionLabel(changes.memberAction.from), to: actionLabel(changes.memberAction.to) });
  if (changes.nonmemberAction) {
    lines.push({ what: "Default action for non-members' posts", from: actionLabel(changes.nonmemberAction.from), to: actionLabel(changes.nonmemberAction.to) });
  }
  if (changes.description) lines.push({ what: "Description", from: changes.description.from || "(empty)", to: changes.description.to || "(empty)" });
  for (const ban of changes.bansToAdd) lines.push({ what: "Ban", from: "—", to: `${ban} added` });
  return lines;
}

/** Differences that remain between a list and the state it should be in, in words (after a run). */
export function remainingDifferences(current: ListSnapshot, wanted: ListSnapshot): string[] {
  return describeChanges(stateChanges(current, wanted)).map((line) => `${line.what}: ${line.from} → ${line.to}`);
}
