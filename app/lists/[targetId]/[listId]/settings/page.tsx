import { redirect } from "next/navigation";
import { requireListAccess } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { parseListParams } from "@/lib/lists/list-page";
import { SECTION_SLUGS } from "@/lib/settings/catalogue";

type Params = Promise<{ targetId: string; listId: string }>;

/**
 * The Settings tab opens its first section. The guard runs here too, so that a refused visitor
 * is refused at this address as at every other (e2e/access-matrix.spec.ts), not redirected.
 */
export default async function SettingsIndexPage({ params }: { params: Params }) {
  const { targetId, listId } = parseListParams(await params);
  const here = `/lists/${targetId}/${encodeURIComponent(listId)}/settings`;
  await guardPage(() => requireListAccess(targetId, listId, "administer"), here);
  redirect(`${here}/${SECTION_SLUGS[0]}`);
}
