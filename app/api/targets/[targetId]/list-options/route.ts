import { z } from "zod";
import { consoleRoute } from "@/lib/entry/route";
import { listCreationOptions } from "@/lib/lists/lists";
import { queryId } from "@/lib/validation/ids";

/** Domains, styles and the list-name rule of one server, for the create-list form. */
export const GET = consoleRoute({ access: "superuser", params: z.object({ targetId: queryId }) }, ({ params }) => listCreationOptions(params.targetId));
