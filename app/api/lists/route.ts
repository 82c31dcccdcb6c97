import { z } from "zod";
import { consoleRoute } from "@/lib/entry/route";
import { loadListIndex } from "@/lib/lists/list-index";
import { pageNumber, queryId } from "@/lib/validation/ids";

/** The list index as JSON for scripts: the same lists, search and paging as the /lists page. */
export const GET = consoleRoute(
  {
    access: "signed_in",
    query: z.object({
      q: z.string().trim().max(200).optional(),
      page: pageNumber,
      pageSize: z.coerce.number().int().min(1).max(100).default(25),
      targetId: queryId.optional(),
    }),
  },
  ({ query, viewer }) => loadListIndex(viewer, query),
);
