import { z } from "zod";
import { requireSuperuser } from "@/lib/auth/guard";
import { guardedRoute } from "@/lib/auth/route-guard";
import { InvalidInputError } from "@/lib/errors";
import { listCreationOptions } from "@/lib/lists/lists";
import { queryId } from "@/lib/validation/ids";

const targetIdSchema = queryId;

/** Domains, styles and the list-name rule of one server, for the create-list form. */
export async function GET(request: Request, { params }: { params: Promise<{ targetId: string }> }): Promise<Response> {
  const { targetId } = await params;
  return guardedRoute(z.object({}), async () => {
    await requireSuperuser();
    const id = targetIdSchema.safeParse(targetId);
    if (!id.success) throw new InvalidInputError("That is not a server id.");
    return listCreationOptions(id.data);
  })(request);
}
