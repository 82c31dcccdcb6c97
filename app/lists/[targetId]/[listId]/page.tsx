import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { Badge, Card } from "@/components/ui/card";
import { requireListAccess, type ListAccess } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { permits, type ListAccessFacts, type ListCapability, type ListRole } from "@/lib/auth/roles";
import { DeleteList } from "./delete-list";

type Params = Promise<{ targetId: string; listId: string }>;

function parseParams(raw: { targetId: string; listId: string }): { targetId: number; listId: string } {
  const targetId = Number(raw.targetId);
  if (!Number.isInteger(targetId) || targetId < 1) notFound();
  try {
    return { targetId, listId: decodeURIComponent(raw.listId) };
  } catch {
    notFound();
  }
}

// generateMetadata and the page share one guarded load per request (3 core calls for an owner,
// 1 for a superuser), not one each.
const loadList = cache(async (targetId: number, listId: string): Promise<ListAccess> => {
  const path = `/lists/${targetId}/${encodeURIComponent(listId)}`;
  return guardPage(() => requireListAccess(targetId, listId, "view"), path);
});

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { targetId, listId } = parseParams(await params);
  const { list } = await loadList(targetId, listId);
  return { title: list.display_name || list.fqdn_listname };
}

/** The sections of a list, each shown only to those who will be allowed in (console.md §6). */
const SECTIONS: { label: string; capability: ListCapability }[] = [
  { label: "Settings", capability: "administer" },
  { label: "Members", capability: "administer" },
  { label: "Held messages", capability: "moderate" },
  { label: "Requests", capability: "moderate" },
  { label: "Bans", capability: "administer" },
  { label: "Templates", capability: "administer" },
];

const ROLE_LABELS: Record<ListRole, string> = { owner: "Owner", moderator: "Moderator", member: "Member" };

/**
 * Membership only changes what this page says, so it is looked up here, and only for viewers
 * the guard found no role for on an advertised list (for an unadvertised one the guard already
 * looked): one small `members/find` per verified address.
 */
async function isMember(access: ListAccess): Promise<boolean> {
  const { viewer, client, list } = access;
  if (viewer.isSuperuser || access.roles.size > 0 || viewer.verifiedEmails.length === 0) return access.roles.has("member");
  try {
    const found = await Promise.all(
      viewer.verifiedEmails.map((email) => client.findMembers({ listId: list.list_id, subscriber: email, role: "member" }, { count: 1, page: 1 }, ["email"])),
    );
    return found.some((page) => page.total > 0);
  } catch {
    return false;
  }
}

export default async function ListPage({ params }: { params: Params }) {
  const { targetId, listId } = parseParams(await params);
  const access = await loadList(targetId, listId);
  const { viewer, target, list } = access;
  const facts: ListAccessFacts = { isSuperuser: viewer.isSuperuser, roles: access.roles, advertised: Boolean(list.advertised) };
  const roles = new Set(access.roles);
  if (await isMember(access)) roles.add("member");
  const memberCount = list.member_count ?? 0;
  const title = list.display_name || list.list_name;

  return (
    <>
      <p className="mb-4 text-sm">
        <Link href="/lists" className="text-indigo-700 hover:underline">
          ← All lists
        </Link>
      </p>

      <header className="mb-6">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-bold tracking-tight text-slate-900">{title}</h1>
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
        </div>
      </header>

      <nav aria-label="List sections" className="mb-6 border-b border-slate-200">
        <ul className="-mb-px flex flex-wrap gap-1 text-sm font-medium">
          <li>
            <Link
              href={`/lists/${target.id}/${encodeURIComponent(list.list_id)}`}
              aria-current="page"
              className="inline-block border-b-2 border-indigo-600 px-3 py-2 text-indigo-700"
            >
              Overview
            </Link>
          </li>
          {SECTIONS.filter((s) => permits(facts, s.capability)).map((s) => (
            <li key={s.label}>
              {/* Not links until these sections exist. */}
              <span aria-disabled="true" title="Coming soon" className="inline-block cursor-not-allowed border-b-2 border-transparent px-3 py-2 text-slate-400">
                {s.label}
              </span>
            </li>
          ))}
        </ul>
      </nav>

      <div className="space-y-6">
        <Card title="About this list">
          {list.description ? <p className="text-sm text-slate-800">{list.description}</p> : <p className="text-sm text-slate-500">No description.</p>}
          <dl className="mt-4 grid grid-cols-2 gap-4 text-sm sm:grid-cols-4">
            <div>
              <dt className="text-slate-500">Members</dt>
              <dd className="mt-1 text-lg font-semibold tabular-nums text-slate-900">{memberCount}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Volume</dt>
              <dd className="mt-1 text-lg font-semibold tabular-nums text-slate-900">{list.volume ?? "—"}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Server</dt>
              <dd className="mt-1 text-slate-900">{target.name}</dd>
            </div>
            <div>
              <dt className="text-slate-500">List ID</dt>
              <dd className="mt-1 break-all font-mono text-xs text-slate-900">{list.list_id}</dd>
            </div>
          </dl>
        </Card>

        {permits(facts, "administer") ? (
          <DeleteList targetId={target.id} listId={list.list_id} postingAddress={list.fqdn_listname} memberCount={memberCount} />
        ) : null}
      </div>
    </>
  );
}
