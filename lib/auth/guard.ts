import "server-only";
import { cache } from "react";
import { ForbiddenError, UnauthenticatedError } from "@/lib/errors";
import { authorizeList, type ListAccess } from "./list-access";
import type { ListCapability } from "./roles";
import { currentSessionUserId } from "./request-session";
import { loadViewer, type Viewer } from "./users";
import type { MailingList } from "@/lib/mailman";

/**
 * The one authorization guard. Every server action (through lib/actions/safe-action.ts), route
 * handler and page calls it. Sessions are JWTs that cannot be revoked, so the account is reloaded
 * from the database on every request: a disabled account or a revoked superuser flag takes effect
 * at once.
 */
export const currentViewer = cache(async (): Promise<Viewer | null> => {
  const userId = await currentSessionUserId();
  if (!userId) return null;
  return loadViewer(userId);
});

export { currentSessionUserId };

export async function requireViewer(): Promise<Viewer> {
  const viewer = await currentViewer();
  if (!viewer) throw new UnauthenticatedError();
  return viewer;
}

export async function requireSuperuser(): Promise<Viewer> {
  const viewer = await requireViewer();
  if (!viewer.isSuperuser) throw new ForbiddenError("Only Listkeeper superusers may do that.");
  return viewer;
}

/**
 * Loads a list and checks that the viewer may act on it. A list the viewer may not even see is
 * reported as missing, so that its existence does not leak.
 */
export async function requireListAccess(
  targetId: number,
  listId: string,
  capability: ListCapability,
  listRead?: Promise<MailingList | null>,
): Promise<ListAccess> {
  const viewer = await requireViewer();
  return authorizeList(viewer, targetId, listId, capability, listRead);
}

export { authorizeList, type ListAccess } from "./list-access";
