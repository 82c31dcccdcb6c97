import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { coreUsers, users } from "@/db/schema";
import type { Viewer } from "@/lib/auth/users";
import { InvalidInputError, UpstreamError } from "@/lib/errors";
import { MailmanError, type MailmanClient } from "@/lib/mailman";
import { logger } from "@/lib/logger";
import { deleteUser, getUser, userAddresses } from "@/lib/mailman/users";
import { clientForTarget, listTargets } from "@/lib/targets/targets";

/**
 * Deleting an account (console.md §4.1). Listkeeper's own data goes (account, addresses, links,
 * tokens). On every Mailman server, the core user holding only this person's verified addresses
 * is deleted too, which the core turns into: every subscription of those addresses ends, every
 * owner and moderator role held through them ends, and the addresses and their preferences are
 * gone. A core user that also serves a registry person (provisioning) is left alone.
 */

export const DELETE_WARNING =
  "Deleting your account also deletes your Mailman user on every server: every subscription of your confirmed addresses ends at once (no more list mail), any owner or moderator role they hold ends, and your Mailman preferences are gone. This cannot be undone.";

export const deleteAccountSchema = z.object({ confirmation: z.string().trim().toLowerCase().max(320) });

export interface DeleteAccountReport {
  deletedCoreUsers: { targetName: string; userId: string }[];
  keptCoreUsers: { targetName: string; reason: string }[];
}

export async function deleteAccount(viewer: Viewer, confirmation: string): Promise<DeleteAccountReport> {
  const expected = viewer.primaryEmail ?? viewer.emails[0]?.email ?? "";
  if (confirmation.trim().toLowerCase() !== expected) {
    throw new InvalidInputError(`Type ${expected} to confirm.`, { field: "confirmation" });
  }
  const db = await getDb();
  const rows = await db
    .select({ targetId: coreUsers.targetId, userId: coreUsers.mailmanUserId, personId: coreUsers.personId })
    .from(coreUsers)
    .where(and(eq(coreUsers.accountId, viewer.id), isNotNull(coreUsers.mailmanUserId)));
  const report: DeleteAccountReport = { deletedCoreUsers: [], keptCoreUsers: [] };
  const mine = new Set(viewer.verifiedEmails);
  const targets = await listTargets();
  // A server where the person surely has a core user must answer first: deleting the account
  // while its Mailman user lives on would leave subscriptions nobody can end from Listkeeper.
  for (const target of targets.filter((t) => rows.some((r) => r.targetId === t.id && r.personId === null))) {
    const { client } = await clientForTarget(target.id);
    await client.versions().catch((error: unknown) => {
      throw new UpstreamError(`${target.name} cannot be reached, so your Mailman user there cannot be deleted. Try again later.`, { cause: error });
    });
  }
  for (const target of targets) {
    let client: MailmanClient;
    try {
      ({ client } = await clientForTarget(target.id));
      await client.versions();
    } catch (error) {
      logger.warn({ err: error, targetId: target.id }, "account deletion: server unreachable, skipped");
      report.keptCoreUsers.push({ targetName: target.name, reason: "The server could not be reached; Listkeeper knew of no Mailman user of yours there." });
      continue;
    }
    const candidates = new Set(rows.filter((r) => r.targetId === target.id && r.personId === null).map((r) => r.userId!));
    for (const row of rows.filter((r) => r.targetId === target.id && r.personId !== null)) {
      report.keptCoreUsers.push({ targetName: target.name, reason: `Mailman user ${row.userId} also belongs to a provisioned person; an administrator removes it.` });
    }
    // Core users made outside Listkeeper (earlier subscriptions, another console) count too.
    for (const email of viewer.verifiedEmails) {
      const user = await getUser(client, email);
      if (user && !rows.some((r) => r.userId === user.user_id && r.personId !== null)) candidates.add(user.user_id);
    }
    for (const userId of candidates) {
      // Gone already (deleted in the core meanwhile, or through another server entry of the same core).
      const addresses = await userAddresses(client, userId).catch((error: unknown) => {
        if (error instanceof MailmanError && error.status === 404) return null;
        throw error;
      });
      if (!addresses) continue;
      if (!addresses.every((a) => mine.has(a.email.toLowerCase()))) {
        report.keptCoreUsers.push({ targetName: target.name, reason: `Mailman user ${userId} also holds addresses that are not yours.` });
        continue;
      }
      if ((await deleteUser(client, userId)) === "deleted") report.deletedCoreUsers.push({ targetName: target.name, userId });
    }
  }
  await db.delete(coreUsers).where(and(eq(coreUsers.accountId, viewer.id), isNull(coreUsers.personId)));
  await db.delete(users).where(eq(users.id, viewer.id));
  logger.info({ accountId: viewer.id, deleted: report.deletedCoreUsers.length }, "account deleted");
  return report;
}
