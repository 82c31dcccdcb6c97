import { z } from "zod";
import { guardedRoute } from "@/lib/auth/route-guard";
import { loadListIndex } from "@/lib/lists/list-index";

/** The list index as JSON for scripts: the same lists, search and paging as the /lists page. */
export const GET = guardedRoute(
  z.object({
    q: z.string().trim().max(200).optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(25),
    targetId: z.coerce.number().int().positive().optional(),
  }),
  (input, viewer) => loadListIndex(viewer, input),
);
