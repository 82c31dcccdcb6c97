import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ListHeader, listPath } from "@/components/list-header";
import { Card } from "@/components/ui/card";
import { cn } from "@/lib/cn";
import { loadListPage, loadListPageData, parseListParams } from "@/lib/lists/list-page";
import { listPageReads } from "@/lib/lists/page-reads";
import { SECTIONS, getSection, isSectionSlug, type SectionSlug } from "@/lib/settings/catalogue";
import { DigestActions } from "../digest-actions";
import { ModeratorPasswordForm, SettingsForm } from "../settings-form";

type Params = Promise<{ targetId: string; listId: string; section: string }>;

async function load(params: Params) {
  const raw = await params;
  const { targetId, listId } = parseListParams(raw);
  if (!isSectionSlug(raw.section)) notFound();
  const section: SectionSlug = raw.section;
  const access = await loadListPage(targetId, listId, "administer", `/settings/${section}`);
  return { access, section };
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { access, section } = await load(params);
  return { title: `${getSection(section).title} · ${access.list.display_name || access.list.fqdn_listname}` };
}

/**
 * One settings section of a list: the guard's calls (1 for a superuser, 2 for an owner), then
 * `GET …/config` (+ archivers on Archiving, + digest state on Digest).
 */
export default async function SettingsSectionPage({ params }: { params: Params }) {
  const raw = await params;
  const { targetId, listId } = parseListParams(raw);
  if (!isSectionSlug(raw.section)) notFound();
  const section: SectionSlug = raw.section;
  const { access, data } = await loadListPageData(targetId, listId, "administer", `/settings/${section}`, listPageReads.settings(section));
  const view = await data;
  const meta = getSection(section);
  const base = listPath(access.target.id, access.list.list_id, "/settings");
  const { digest, ...formView } = view;

  return (
    <>
      <ListHeader access={access} current="settings" />
      <div className="grid gap-6 md:grid-cols-[13rem_1fr]">
        <nav aria-label="Settings sections">
          <ul className="space-y-1 text-sm">
            {SECTIONS.map((s) => (
              <li key={s.slug}>
                <Link
                  href={`${base}/${s.slug}`}
                  aria-current={s.slug === section ? "page" : undefined}
                  className={cn(
                    "block rounded-md px-3 py-2",
                    s.slug === section ? "bg-indigo-50 font-semibold text-indigo-800" : "text-slate-700 hover:bg-slate-100",
                  )}
                >
                  {s.title}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="space-y-6">
          <Card title={meta.title} description={meta.description}>
            <SettingsForm targetId={access.target.id} listId={access.list.list_id} section={section} initial={formView} />
          </Card>
          {section === "digest" && digest ? <DigestActions targetId={access.target.id} listId={access.list.list_id} initial={digest} /> : null}
          {section === "message-acceptance" ? (
            <ModeratorPasswordForm targetId={access.target.id} listId={access.list.list_id} isSet={view.moderatorPasswordSet} />
          ) : null}
        </div>
      </div>
    </>
  );
}
