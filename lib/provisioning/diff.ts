import { createHash } from "node:crypto";
import type { GovernedRole } from "./desired";

/**
 * The pure diff from desired to actual rosters (provisioning.md §8.1 "canonical form", §8.2 P4
 * steps 3–4, §8.4) and of one person's identity (§8.2 P3 steps 4–8). The executor runs exactly
 * what these return, and a dry run returns it as the plan.
 */

export interface RosterEntry {
  memberId: string;
  email: string;
  role: string;
  /** The core user id (32 hex) of the entry, when it has one. */
  userId: string | null;
  subscriptionMode: "as_user" | "as_address" | null;
}

export interface Add {
  role: GovernedRole;
  personId: number;
  email: string;
}

export type RemoveReason = "not_desired" | "non_canonical" | "unmanaged";

export interface Remove {
  role: GovernedRole;
  memberId: string;
  email: string;
  personId: number | null;
  reason: RemoveReason;
  /**
   * The bulk roster DELETE matches by address and also removes the `as_user` row whose preferred
   * address that is: only safe when no kept member entry shows the same address.
   */
  bulkSafe: boolean;
}

export interface RoleDiff {
  adds: Add[];
  removes: Remove[];
  kept: number;
}

export interface RoleDiffInput {
  role: GovernedRole;
  desired: ReadonlyMap<number, string>;
  /** Managed people never to be removed (self-service, no preference). */
  untouched?: ReadonlySet<number>;
  actual: readonly RosterEntry[];
  /** core user id → registry person, for this target. */
  userToPerson: ReadonlyMap<string, number>;
  /** `ignore`: unmanaged entries stay. Self-service lists pass `ignore` whatever the target says. */
  unmanagedMode: "remove" | "ignore";
  /** P5: only this person's entries are looked at; unmanaged entries never are. */
  onlyPersonId?: number;
}

export function diffRole(input: RoleDiffInput): RoleDiff {
  const entries = input.actual.filter((e) => e.role === input.role);
  const byPerson = new Map<number, RosterEntry[]>();
  const unmanaged: RosterEntry[] = [];
  for (const e of entries) {
    const personId = e.userId ? input.userToPerson.get(e.userId) : undefined;
    if (personId === undefined) unmanaged.push(e);
    else byPerson.set(personId, [...(byPerson.get(personId) ?? []), e]);
  }
  const out: RoleDiff = { adds: [], removes: [], kept: 0 };
  const keptEmails = new Set<string>();
  const pendingRemoves: Omit<Remove, "bulkSafe">[] = [];

  const people = new Set<number>([...input.desired.keys(), ...byPerson.keys()]);
  for (const personId of [...people].sort((a, b) => a - b)) {
    if (input.onlyPersonId !== undefined && personId !== input.onlyPersonId) continue;
    const own = byPerson.get(personId) ?? [];
    const email = input.desired.get(personId);
    if (email === undefined) {
      if (input.untouched?.has(personId)) {
        own.forEach((e) => keptEmails.add(e.email.toLowerCase()));
        continue;
      }
      for (const e of own) pendingRemoves.push({ role: input.role, memberId: e.memberId, email: e.email, personId, reason: "not_desired" });
      continue;
    }
    const canonical = pickCanonical(input.role, own, email);
    if (canonical) {
      out.kept += 1;
      keptEmails.add(canonical.email.toLowerCase());
    } else {
      out.adds.push({ role: input.role, personId, email });
      keptEmails.add(email);
    }
    for (const e of own) {
      if (e !== canonical) pendingRemoves.push({ role: input.role, memberId: e.memberId, email: e.email, personId, reason: "non_canonical" });
    }
  }
  if (input.onlyPersonId === undefined && input.unmanagedMode === "remove") {
    for (const e of unmanaged) pendingRemoves.push({ role: input.role, memberId: e.memberId, email: e.email, personId: null, reason: "unmanaged" });
  } else {
    unmanaged.forEach((e) => keptEmails.add(e.email.toLowerCase()));
  }
  // Two removals of one address: the bulk DELETE would take both in one go, which is fine;
  // but never when a kept entry shows that address.
  out.removes = pendingRemoves.map((r) => ({ ...r, bulkSafe: input.role === "member" && !keptEmails.has(r.email.toLowerCase()) }));
  return out;
}

/**
 * §8.1: exactly one entry of the person's user on their preferred address. A member `as_user`
 * entry follows the preferred address (it is set before subscriptions are compared), so it is
 * canonical whatever address it shows; `as_address` on the preferred address is accepted too.
 */
function pickCanonical(role: GovernedRole, own: readonly RosterEntry[], email: string): RosterEntry | undefined {
  if (role === "member") {
    return own.find((e) => e.subscriptionMode === "as_user") ?? own.find((e) => e.email.toLowerCase() === email);
  }
  return own.find((e) => e.email.toLowerCase() === email);
}

// Identity (P3 steps 4–8) ------------------------------------------------------------------------

export interface IdentityInput {
  /** Registry addresses, lower-cased. */
  registry: readonly string[];
  preferred: string;
  displayName: string;
  /** The core user's addresses as the core reports them. */
  mailman: readonly { email: string; verified: boolean }[];
  mailmanPreferred: string | null;
  mailmanDisplayName: string | null;
  syncDisplayName: boolean;
  deleteStaleAddresses: boolean;
}

export interface IdentityPlan {
  addAddresses: string[];
  verify: string[];
  setPreferred: string | null;
  displayName: string | null;
  deleteAddresses: string[];
}

/** In the only safe order: add → verify → set preferred → (display name) → delete stale (§8.7). */
export function identityPlan(input: IdentityInput): IdentityPlan {
  const reg = [...new Set(input.registry.map((a) => a.toLowerCase()))];
  const mm = new Map(input.mailman.map((a) => [a.email.toLowerCase(), a.verified]));
  const addAddresses = reg.filter((a) => !mm.has(a));
  const verify = reg.filter((a) => mm.get(a) !== true);
  const preferred = input.preferred.toLowerCase();
  const setPreferred = input.mailmanPreferred?.toLowerCase() === preferred ? null : preferred;
  const displayName = input.syncDisplayName && input.displayName && input.displayName !== (input.mailmanDisplayName ?? "") ? input.displayName : null;
  const deleteAddresses = input.deleteStaleAddresses ? [...mm.keys()].filter((a) => !reg.includes(a) && a !== preferred) : [];
  return { addAddresses, verify, setPreferred, displayName, deleteAddresses };
}

export function isEmptyIdentityPlan(plan: IdentityPlan): boolean {
  return plan.addAddresses.length + plan.verify.length + plan.deleteAddresses.length === 0 && !plan.setPreferred && !plan.displayName;
}

/** What P3 pushes for a person; unchanged → the identity sync is skipped (§8.2 P3 step 9). */
export function syncHash(input: { displayName: string; addresses: readonly string[]; preferred: string; policy: string }): string {
  const body = JSON.stringify([input.displayName, [...new Set(input.addresses.map((a) => a.toLowerCase()))].sort(), input.preferred.toLowerCase(), input.policy]);
  return createHash("sha256").update(body).digest("hex").slice(0, 32);
}

// Self-service init (§8.6) -----------------------------------------------------------------------

export interface InitPerson {
  personId: number;
  addresses: readonly string[];
  eligible: boolean;
  pref: boolean | null;
}

export interface InitReport {
  /** Preferences to write (source `init`). */
  set: { personId: number; subscribed: boolean }[];
  subscribed: string[];
  skipped: string[];
  unsubscribed: string[];
  unknown: string[];
}

export function selfServiceInit(people: readonly InitPerson[], rosterEmails: readonly string[]): InitReport {
  const roster = new Set(rosterEmails.map((e) => e.toLowerCase()));
  const known = new Set<string>();
  const out: InitReport = { set: [], subscribed: [], skipped: [], unsubscribed: [], unknown: [] };
  for (const p of people) {
    const addresses = p.addresses.map((a) => a.toLowerCase());
    addresses.forEach((a) => known.add(a));
    if (!p.eligible) continue;
    const onRoster = addresses.filter((a) => roster.has(a));
    if (p.pref !== null) {
      if (p.pref && onRoster.length > 0) out.skipped.push(...onRoster);
      continue;
    }
    if (onRoster.length > 0) {
      out.set.push({ personId: p.personId, subscribed: true });
      out.subscribed.push(...onRoster);
    } else {
      out.set.push({ personId: p.personId, subscribed: false });
      if (addresses[0]) out.unsubscribed.push(addresses[0]);
    }
  }
  out.unknown = [...roster].filter((e) => !known.has(e)).sort();
  return out;
}
