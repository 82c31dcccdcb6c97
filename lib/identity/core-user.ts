import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { coreUsers } from "@/db/schema";
import { isUniqueViolation } from "@/db/unique-violation";
import { ConflictError, InvalidInputError } from "@/lib/errors";
import { MailmanError, type MailmanClient } from "@/lib/mailman";
import {
  createUser,
  getAddress,
  getUser,
  linkAddress,
  patchUserDisplayName,
  setPreferredAddress,
  userAddresses,
  userIdOfLink,
  verifyAddress,
} from "@/lib/mailman/users";

/**
 * One core user per person per Mailman server (console.md §4.1, ROADMAP "one person, one core
 * user"), created lazily the first time the person subscribes on that server, then kept in step
 * with the account: every verified address linked and verified in the core, the primary address
 * preferred, the display name pushed. Unverified addresses never reach the core
 * (CVE-2021-40347: an address someone merely typed is not theirs).
 */

export interface Person {
  accountId: string;
  displayName: string;
  /** Lower-cased verified addresses. */
  verifiedEmails: readonly string[];
  primaryEmail: string | null;
}

/** An address the core gives to another user that also holds addresses not this person's. */
export interface AddressConflict {
  email: string;
  message: string;
}

export interface CoreUserSync {
  userId: string;
  conflicts: AddressConflict[];
}

async function storedRow(targetId: number, accountId: string) {
  const db = await getDb();
  const [row] = await db.select().from(coreUsers).where(and(eq(coreUsers.targetId, targetId), eq(coreUsers.accountId, accountId)));
  return row ?? null;
}

/** The stored core user id of a person on a server, without any core call; null when none yet. */
export async function knownCoreUserId(targetId: number, accountId: string): Promise<string | null> {
  return (await storedRow(targetId, accountId))?.mailmanUserId ?? null;
}

/**
 * Whether the core user holding `email` may be merged into this person's: only when every
 * address it holds is one of the person's verified addresses (otherwise it is somebody else's,
 * or partly so, and is reported instead of taken).
 */
async function absorbable(client: MailmanClient, otherUserId: string, person: Person): Promise<boolean> {
  const addresses = await userAddresses(client, otherUserId);
  return addresses.every((a) => person.verifiedEmails.includes(a.email.toLowerCase()));
}

async function recordUserId(rowId: number, mailmanUserId: string): Promise<void> {
  const db = await getDb();
  await db.update(coreUsers).set({ mailmanUserId, updatedAt: new Date() }).where(eq(coreUsers.id, rowId));
}

/**
 * Finds or creates the person's core user on this server and brings it in step. Order matters
 * addresses are linked and verified before the preferred address is set, and nothing is
 * unlinked here (removal is `removeAddressEverywhere`, after the preferred address moved).
 */
export async function ensureCoreUser(client: MailmanClient, targetId: number, person: Person): Promise<CoreUserSync> {
  const primary = person.primaryEmail;
  if (!primary) throw new InvalidInputError("Confirm one of your addresses first: Listkeeper only uses confirmed addresses.");
  const db = await getDb();
  let row = await storedRow(targetId, person.accountId);
  if (!row) {
    try {
      row = (await db.insert(coreUsers).values({ targetId, accountId: person.accountId, intentEmail: primary }).returning())[0] ?? null;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      row = await storedRow(targetId, person.accountId);
    }
    if (!row) throw new Error("core_users row vanished");
  }
  let userId = row.mailmanUserId;
  if (userId && !(await getUser(client, userId))) userId = null; // deleted in the core meanwhile
  const conflicts: AddressConflict[] = [];
  if (!userId) {
    // An existing core user holding one of the addresses (made by an earlier subscription, by
    // another console, or an intent whose outcome is unknown) is adopted when it is all theirs.
    for (const email of [primary, ...person.verifiedEmails.filter((e) => e !== primary)]) {
      const existing = await getUser(client, email);
      if (!existing) continue;
      if (await absorbable(client, existing.user_id, person)) {
        userId = existing.user_id;
        break;
      }
    }
    userId ??= await createOrAdopt(client, primary, person.displayName);
    await recordUserId(row.id, userId);
  }
  const linked = new Set((await userAddresses(client, userId)).map((a) => a.email.toLowerCase()));
  for (const email of person.verifiedEmails) {
    if (!linked.has(email)) {
      const outcome = await linkAddress(client, userId, email, person.displayName ? { displayName: person.displayName } : {});
      if (outcome === "owned_by_other_user") {
        const holder = await getAddress(client, email);
        const otherId = holder?.user ? userIdOfLink(holder.user) : null;
        if (otherId && (await absorbable(client, otherId, person))) {
          // Merges the other user (memberships and preferences come along, console.md §4.1).
          await linkAddress(client, userId, email, { absorbExisting: true });
        } else {
          conflicts.push({
            email,
            message: `On this Mailman server ${email} belongs to another user who also has addresses that are not yours, so Listkeeper leaves it alone. A site administrator can sort it out.`,
          });
          continue;
        }
      }
    }
    await verifyAddress(client, email);
  }
  if (!conflicts.some((c) => c.email === primary)) await setPreferredAddress(client, userId, primary);
  if (person.displayName) await patchUserDisplayName(client, userId, person.displayName);
  return { userId, conflicts };
}

async function createOrAdopt(client: MailmanClient, email: string, displayName: string): Promise<string> {
  try {
    return await createUser(client, { email, displayName: displayName || undefined });
  } catch (error) {
    // "User already exists": the address has a user we did not adopt above, so it is not all theirs.
    if (error instanceof MailmanError && error.status === 400) {
      throw new ConflictError(`On this Mailman server ${email} belongs to another user who also has addresses that are not yours. A site administrator can sort it out.`, {
        cause: error,
      });
    }
    throw error;
  }
}
