import { redirect } from "next/navigation";
import { parseListParams } from "@/lib/lists/list-page";
import { SECTION_SLUGS } from "@/lib/settings/catalogue";

type Params = Promise<{ targetId: string; listId: string }>;

/** The Settings tab opens its first section; the section page runs the guard. */
export default async function SettingsIndexPage({ params }: { params: Params }) {
  const { targetId, listId } = parseListParams(await params);
  redirect(`/lists/${targetId}/${encodeURIComponent(listId)}/settings/${SECTION_SLUGS[0]}`);
}
