import { z } from "zod";
import { queryId } from "@/lib/validation/ids";

/**
 * "Remove everywhere" (issue 11 item 2), the pure part: the input a superuser sends (browser-safe,
 * the form uses it too), what a job will do with each membership found, and how the worker reads
 * each answer. No core call and no database here; lib/people/remove-everywhere.ts brings the data.
 */

export const REMOVABLE_ROLES = ["member", "owner", "moderator"] as const;
export type RemovableRole = (typeof REMOVABLE_ROLES)[number];

export const removeEverywhereSchema = z.object({
  address: z.string().trim().toLowerCase().max(254).pipe(z.email("Enter the address to remove.")),
  /** Member only by default; owner and moderator only when chosen explicitly. */
  roles: z
    .array(z.enum(REMOVABLE_ROLES))
    .min(1, "Choose at least one role to remove.")
    .default(["member"])
    .transform((roles) => REMOVABLE_ROLES.filter((r) => roles.includes(r))),
  globalBan: z.boolean().default(false),
  /** Also the other addresses of the same core user (the search shows them); the typed one only by default. */
  otherAddresses: z.boolean().default(false),
  /** Limit to one server (the search's server choice); all servers otherwise. */
  targetId: queryId.optional(),
});
export type RemoveEverywhereInput = z.output<typeof removeEverywhereSchema>;

export const startRemoveEverywhereSchema = removeEverywhereSchema.extend({ confirmation: z.string().max(300) });

/** The typed confirmation: the address itself, case and surrounding spaces aside. */
export function confirmationMatches(address: string, typed: string): boolean {
  return typed.trim().toLowerCase() === address.trim().toLowerCase();
}

export interface FoundMembership {
  targetId: number;
  targetName: string;
  listId: string;
  role: string;
  email: string;
}

export type PlannedAction = "remove" | "refuse_last_owner";

export interface PlannedItem {
  kind: "membership" | "ban";
  targetId: number;
  targetName: string;
  listId: string | null;
  role: RemovableRole | null;
  email: string;
  /** What the preview expects; the worker checks again when it gets there. */
  action: PlannedAction | "ban";
}

export interface RemovalPlan {
  items: PlannedItem[];
  /** Memberships found that the job leaves alone (a role not chosen, a nonmember record). */
  kept: FoundMembership[];
}

export const listKey = (targetId: number, listId: string) => `${targetId}:${listId}`;

/**
 * True when taking `removing` off a list whose owners are `owners` leaves it without any: the
 * core would do it, so the job refuses every owner removal of the person on that list.
 */
export function leavesNoOwner(owners: readonly string[], removing: readonly string[]): boolean {
  const gone = new Set(removing.map((e) => e.toLowerCase()));
  return owners.every((o) => gone.has(o.toLowerCase()));
}

/**
 * The job's items, in report order: per server and list (as found), the memberships of the chosen
 * roles (owner before moderator before member, as the search shows them), then one global ban per
 * server and address when chosen. `owners` holds the owner roster of each list where an owner
 * role is to be removed (lists missing from it are planned as removable: the worker checks).
 */
export function planRemoval(input: {
  memberships: readonly FoundMembership[];
  roles: readonly RemovableRole[];
  owners: ReadonlyMap<string, readonly string[]>;
  /** Servers to ban `banAddresses` on; empty when no ban was chosen. */
  banServers: readonly { targetId: number; targetName: string }[];
  banAddresses: readonly string[];
}): RemovalPlan {
  const chosen = new Set<string>(input.roles);
  const items: PlannedItem[] = [];
  const kept: FoundMembership[] = [];
  const seen = new Set<string>();
  const ownersRemoved = new Map<string, string[]>();
  for (const m of input.memberships) {
    if (m.role !== "owner" || !chosen.has("owner")) continue;
    const key = listKey(m.targetId, m.listId);
    ownersRemoved.set(key, [...(ownersRemoved.get(key) ?? []), m.email]);
  }
  for (const m of input.memberships) {
    if (!chosen.has(m.role)) {
      kept.push(m);
      continue;
    }
    const email = m.email.toLowerCase();
    const dedupe = `${m.targetId}:${m.listId}:${m.role}:${email}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    let action: PlannedAction = "remove";
    if (m.role === "owner") {
      const owners = input.owners.get(listKey(m.targetId, m.listId));
      if (owners && leavesNoOwner(owners, ownersRemoved.get(listKey(m.targetId, m.listId)) ?? [])) action = "refuse_last_owner";
    }
    items.push({ kind: "membership", targetId: m.targetId, targetName: m.targetName, listId: m.listId, role: m.role as RemovableRole, email, action });
  }
  for (const server of input.banServers) {
    for (const email of new Set(input.banAddresses.map((a) => a.toLowerCase()))) {
      items.push({ kind: "ban", targetId: server.targetId, targetName: server.targetName, listId: null, role: null, email, action: "ban" });
    }
  }
  return { items, kept };
}

// Outcomes -----------------------------------------------------------------------------------------

export const REMOVE_OUTCOMES = ["removed", "refused_last_owner", "not_member", "banned", "already_banned", "failed"] as const;
export type RemoveOutcome = (typeof REMOVE_OUTCOMES)[number];

export const REMOVE_OUTCOME_LABELS: Record<RemoveOutcome, string> = {
  removed: "Removed",
  refused_last_owner: "Refused: last owner",
  not_member: "Not a member any more",
  banned: "Banned on the server",
  already_banned: "Already banned",
  failed: "Error",
};

export interface ItemAnswer {
  outcome: RemoveOutcome;
  detail: string | null;
}

/**
 * A removal's answer as reported. `present` is false when the core says the address no longer
 * holds the role. An item in doubt (sent before a worker died) that is gone now was most likely
 * removed by that first call, as the plan found it there.
 */
export function removalAnswer(present: boolean, inDoubt: boolean): ItemAnswer {
  if (present) return { outcome: "removed", detail: null };
  if (inDoubt) return { outcome: "removed", detail: "Gone when checked again after an interrupted attempt" };
  return { outcome: "not_member", detail: "No longer held this role when the job got to it" };
}

export function lastOwnerAnswer(listId: string): ItemAnswer {
  return { outcome: "refused_last_owner", detail: `Refused: ${listId} would be left without an owner. Add another owner first.` };
}
