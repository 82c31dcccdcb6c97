import { and, eq, ne } from "drizzle-orm";
import { getDb } from "@/db/client";
import { listDisablements } from "@/db/schema";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { clientForTarget } from "@/lib/targets/targets";
import { authorizeList, type ListAccess } from "./list-access";
import type { Viewer } from "./users";

export interface DisabledListAccess extends ListAccess {
  /** The viewer is not an owner in the core now, but was one when the list was disabled. */
  formerOwner: boolean;
}

/**
 * Who may finish or undo the disabling of a list: whoever may administer it now (superusers,
 * owners), and the owners recorded when it was disabled. Disabling replaces the owners by a site
 * address, so without the second rule an owner who disabled a list could never re-enable it. The
 * record is Listkeeper's own (`list_disablements`), written before the owners were replaced; only
 * verified addresses count, as for every list role.
 */
export async function authorizeDisabledList(viewer: Viewer, targetId: number, listId: string): Promise<DisabledListAccess> {
  try {
    return { ...(await authorizeList(viewer, targetId, listId, "administer")), formerOwner: false };
  } catch (error) {
    if (!(error instanceof ForbiddenError || error instanceof NotFoundError) || viewer.verifiedEmails.length === 0) throw error;
    const { target, client } = await clientForTarget(targetId);
    const list = await client.getList(listId);
    if (!list) throw error;
    const db = await getDb();
    const [open] = await db
      .select({ previous: listDisablements.previous })
      .from(listDisablements)
      .where(and(eq(listDisablements.targetId, targetId), eq(listDisablements.listId, list.list_id), ne(listDisablements.state, "enabled")));
    const mine = new Set(viewer.verifiedEmails);
    if (!open || !open.previous.owners.some((o) => mine.has(o.email.toLowerCase()))) throw error;
    return { viewer, target, client, list, roles: new Set(), formerOwner: true };
  }
}
