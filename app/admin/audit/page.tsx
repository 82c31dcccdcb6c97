import type { Metadata } from "next";
import { AuditLogView } from "@/components/audit/audit-log-view";
import { PageHeader } from "@/components/ui/card";
import { auditedLists, parseAuditFilter, searchAuditLog } from "@/lib/audit/search";
import { requireSuperuser } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { listTargets } from "@/lib/targets/targets";

export const metadata: Metadata = { title: "Audit log" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Every change Listkeeper made or recorded, on every server (superusers; issue 11 item 5). */
export default async function AuditLogPage({ searchParams }: { searchParams: SearchParams }) {
  await guardPage(requireSuperuser, "/admin/audit");
  const { filter, errors } = parseAuditFilter(await searchParams);
  const [result, targets, lists] = await Promise.all([searchAuditLog(filter, { kind: "all" }), listTargets(), auditedLists(filter.target)]);
  return (
    <>
      <PageHeader title="Audit log" description="Settings, filters, templates, bans, members, moderation, jobs, servers and superusers' sign-ins — who changed what, where, and how it ended." />
      <AuditLogView
        basePath="/admin/audit"
        exportPath="/admin/audit/export"
        filter={filter}
        errors={errors}
        {...result}
        scopeChoices={{ targets: targets.map((t) => ({ id: t.id, name: t.name })), lists }}
      />
    </>
  );
}
