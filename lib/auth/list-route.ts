import "server-only";
import { auditDoor, withAuditScope } from "@/lib/audit";
import { consoleRouteError, parseSearchParams } from "@/lib/entry/console-route";
import { NotFoundError } from "@/lib/errors";
import { requireViewer } from "./guard";
import { authorizeList, type ListAccess } from "./list-access";
import type { ListCapability } from "./roles";

type ListParams = Promise<{ targetId: string; listId: string } & Record<string, string>>;

/**
 * A route handler under /lists/[targetId]/[listId]/…: the guard reloads the viewer and checks
 * `capability` on the list before `handler` runs; errors are answered by the entry layer
 * (lib/entry/console-route.ts), a followed link with the sign-in, refused or missing page.
 */
export function listRoute(
  capability: ListCapability,
  handler: (access: ListAccess, params: Record<string, string>, request: Request) => Promise<Response>,
) {
  return async (request: Request, { params }: { params: ListParams }): Promise<Response> => {
    try {
      const viewer = await requireViewer();
      const raw = await params;
      const targetId = Number(raw.targetId);
      if (!Number.isInteger(targetId) || targetId < 1) throw new NotFoundError("That server does not exist.");
      let listId: string;
      try {
        listId = decodeURIComponent(raw.listId);
      } catch {
        throw new NotFoundError("That list does not exist.");
      }
      const access = await authorizeList(viewer, targetId, listId, capability);
      return await withAuditScope(auditDoor.user(viewer.id), () => handler(access, raw, request));
    } catch (error) {
      return consoleRouteError(error, request);
    }
  };
}

export { parseSearchParams as parseQuery };
