import "server-only";
import { requireSuperuser } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { NotFoundError } from "@/lib/errors";
import { getTarget, type TargetSummary } from "./targets";

/**
 * The guarded load of a superuser page about one Mailman server. The guard runs before the id is
 * looked at, so an anonymous visitor is sent to sign in even for a malformed id.
 */
export async function loadTargetPage(rawTargetId: string, sub = ""): Promise<{ id: number; target: TargetSummary }> {
  const id = /^\d{1,9}$/.test(rawTargetId) ? Number(rawTargetId) : 0;
  const target = await guardPage(async () => {
    await requireSuperuser();
    if (!id) throw new NotFoundError("No such server.");
    return getTarget(id);
  }, `/admin/targets/${rawTargetId}${sub}`);
  return { id, target };
}
