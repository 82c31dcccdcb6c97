import Link from "next/link";
import { ListBadges } from "@/components/list-badges";
import { Badge } from "@/components/ui/card";
import type { ListAccess } from "@/lib/auth/list-access";
import { permits, type ListCapability, type ListRole } from "@/lib/auth/roles";
import { cn } from "@/lib/cn";
import { peekBadgeCounts } from "@/lib/moderation/badges";

/**
 * The sections of a list, each shown only to those allowed in (console.md §6). `href` is the
 * path below the list's own URL; sections without one are not built yet and render disabled.
 */
export const LIST_SECTIONS: { key: string; label: string; capability: ListCapability; href?: string }[] = [
  { key: "overview", label: "Overview", capability: "view", href: "" },
  { key: "settings", label: "Settings", capability: "administer", href: "/settings" },
  { key: "header-filters", label: "Header filters", capability: "administer", href: "/header-filters" },
  { key: "templates", label: "Templates", capability: "administer", href: "/templates" },
  { key: "bans", label: "Bans", capability: "administer", href: "/bans" },
  { key: "members", label: "Members", capability: "administer", href: "/members" },
  { key: "held", label: "Held messages", capability: "moderate", href: "/held" },
  { key: "requests", label: "Requests", capability: "moderate", href: "/requests" },
  { key: "config", label: "Configuration", capability: "administer", href: "/config" },
  { key: "activity", label: "Activity", capability: "administer", href: "/activity" },
];

export type ListSectionKey = (typeof LIST_SECTIONS)[number]["key"];

export function listPath(targetId: number, listId: string, sub = ""): string {
  return `/lists/${targetId}/${encodeURIComponent(listId)}${sub}`;
}

const ROLE_LABELS: Record<ListRole, string> = { owner: "Owner", moderator: "Moderator", member: "Member" };

/** Title, posting address, the viewer's roles and the section tabs of every list page. */
export function ListHeader({ access, current, extraRoles }: { access: ListAccess; current: ListSectionKey; extraRoles?: ReadonlySet<ListRole> }) {
  const { viewer, target, list } = access;
  const facts = { isSuperuser: viewer.isSuperuser, roles: access.roles, advertised: Boolean(list.advertised) };
  const roles = new Set([...access.roles, ...(extraRoles ?? [])]);
  return (
    <>
      <p className="mb-4 text-sm">
        <Link href="/lists" className="text-indigo-700 hover:underline">
          ← All lists
        </Link>
      </p>
      <header className="mb-6">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-bold tracking-tight text-slate-900">{list.display_name || list.list_name}</h1>
          {list.advertised ? <Badge tone="emerald">Advertised</Badge> : <Badge tone="amber">Unadvertised</Badge>}
        </div>
        <p className="mt-1 font-mono text-sm text-slate-700" data-testid="posting-address">
          {list.fqdn_listname}
        </p>
        <div className="mt-3 flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <span>Your role:</span>
          {viewer.isSuperuser ? <Badge tone="indigo">Superuser</Badge> : null}
          {(["owner", "moderator", "member"] as const)
            .filter((r) => roles.has(r))
            .map((r) => (
              <Badge key={r} tone={r === "member" ? "slate" : "indigo"}>
                {ROLE_LABELS[r]}
              </Badge>
            ))}
          {!viewer.isSuperuser && roles.size === 0 ? <Badge>Not a member</Badge> : null}
          {permits(facts, "moderate") ? <ListBadges targetId={target.id} listId={list.list_id} initial={peekBadgeCounts(target.id, list.list_id)} /> : null}
        </div>
      </header>
      <nav aria-label="List sections" className="mb-6 border-b border-slate-200">
        <ul className="-mb-px flex flex-wrap gap-1 text-sm font-medium">
          {LIST_SECTIONS.filter((s) => permits(facts, s.capability)).map((s) => (
            <li key={s.key}>
              {s.href !== undefined ? (
                <Link
                  href={listPath(target.id, list.list_id, s.href)}
                  aria-current={s.key === current ? "page" : undefined}
                  className={cn(
                    "inline-block border-b-2 px-3 py-2",
                    s.key === current ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900",
                  )}
                >
                  {s.label}
                </Link>
              ) : (
                <span aria-disabled="true" title="Coming soon" className="inline-block cursor-not-allowed border-b-2 border-transparent px-3 py-2 text-slate-400">
                  {s.label}
                </span>
              )}
            </li>
          ))}
        </ul>
      </nav>
    </>
  );
}
