import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { getEmailList } from "@/lib/registry/registry";
import { authorizeList } from "./list-access";
import type { Viewer } from "./users";

/**
 * A registry email list's owners are the owners of the Mailman list it is provisioned as, derived
 * the way every list role is (a verified address on the core's owner roster). Superusers pass
 * without a core call. A list not provisioned yet has no owners but the superusers.
 */
export async function authorizeEmailListOwner(viewer: Viewer, emailListId: number): Promise<void> {
  if (viewer.isSuperuser) {
    await getEmailList(emailListId);
    return;
  }
  // Anyone else learns nothing of which ids exist: a missing list is refused like someone else's.
  const list = await getEmailList(emailListId).catch((error: unknown) => {
    if (error instanceof NotFoundError) throw new ForbiddenError("Only the list's owners and superusers may read its preferences.");
    throw error;
  });
  if (!list.mailmanListId) throw new ForbiddenError("Only superusers may read the preferences of a list that is not provisioned yet.");
  try {
    await authorizeList(viewer, list.targetId, list.mailmanListId, "administer");
  } catch (error) {
    // The guard calls a list it hides "missing"; here the email list itself exists.
    if (error instanceof NotFoundError || error instanceof ForbiddenError) throw new ForbiddenError("Only the list's owners and superusers may read its preferences.");
    throw error;
  }
}
