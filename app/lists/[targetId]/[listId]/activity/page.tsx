import type { Metadata } from "next";
import { AuditLogView } from "@/components/audit/audit-log-view";
import { ListHeader, listPath } from "@/components/list-header";
import { parseAuditFilter, searchAuditLog } from "@/lib/audit/search";
import { requireListAccess } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";

export const metadata: Metadata = { title: "Activity" };

type Params = Promise<{ targetId: string; listId: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** One list's audit log, for its owners (issue 11 item 5). */
export default async function ListActivityPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { targetId, listId } = await params;
  const id = decodeURIComponent(listId);
  const access = await guardPage(() => requireListAccess(Number(targetId), id, "administer"), listPath(Number(targetId), id, "/activity"));
  const { filter, errors } = parseAuditFilter(await searchParams);
  const scopedFilter = { ...filter, target: undefined, list: undefined };
  const result = await searchAuditLog(scopedFilter, { kind: "list", targetId: access.target.id, listId: access.list.list_id });
  const base = listPath(access.target.id, access.list.list_id, "/activity");
  return (
    <>
      <ListHeader access={access} current="activity" />
      <AuditLogView basePath={base} exportPath={`${base}/export`} filter={scopedFilter} errors={errors} {...result} />
    </>
  );
}
