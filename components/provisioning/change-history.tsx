import Link from "next/link";
import { EmptyState } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { Pager } from "@/components/ui/pager";
import type { HistoryRow } from "@/lib/provisioning/sync-console";

const OP_LABEL: Record<string, string> = {
  create_user: "Mailman user created",
  add_address: "Address added",
  verify: "Address verified",
  set_preferred: "Preferred address set",
  update_user: "Display name updated",
  delete_address: "Address deleted",
  absorb_user: "Other user absorbed",
  delete_user: "Mailman user deleted",
  subscribe: "Subscribed",
  unsubscribe: "Unsubscribed",
  create_list: "List created",
  update_list: "List updated",
  delete_list: "List deleted",
  create_domain: "Domain created",
  conflict: "Conflict",
  error: "Error",
};

/**
 * The history of every Mailman change made for one person or one list (provisioning event rows),
 * newest first, paged. `hrefFor` builds the link of another page of it.
 */
export function ChangeHistory({
  targetId,
  items,
  total,
  page,
  perPage,
  hrefFor,
  show = "both",
}: {
  targetId: number;
  items: HistoryRow[];
  total: number;
  page: number;
  perPage: number;
  hrefFor: (page: number) => string;
  show?: "person" | "list" | "both";
}) {
  if (total === 0) return <EmptyState title="No Mailman change yet">Listkeeper has not called Mailman for this yet.</EmptyState>;
  return (
    <div className="space-y-3">
      <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
        <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="change-history">
          <caption className="sr-only">Mailman changes, newest first</caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2">When</th>
              <th scope="col" className="px-4 py-2">Change</th>
              {show !== "person" ? <th scope="col" className="px-4 py-2">Address</th> : null}
              {show !== "list" ? <th scope="col" className="px-4 py-2">List</th> : null}
              <th scope="col" className="px-4 py-2">Mailman call</th>
              <th scope="col" className="px-4 py-2">Job</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {items.map((e) => {
              const failed = e.op === "error" || e.op === "conflict" || (e.httpStatus !== null && e.httpStatus >= 400);
              return (
                <tr key={e.id} data-testid="history-row">
                  <td className="whitespace-nowrap px-4 py-1.5 text-slate-600">
                    <DateTime value={e.at} />
                  </td>
                  <td className={failed ? "px-4 py-1.5 text-red-700" : "px-4 py-1.5"}>
                    <span className="font-medium">{OP_LABEL[e.op] ?? e.op}</span>
                    {e.role && e.role !== "member" ? <span className="text-slate-500"> ({e.role})</span> : null}
                    {e.message ? <span className="block text-xs text-slate-600">{e.message}</span> : null}
                  </td>
                  {show !== "person" ? <td className="px-4 py-1.5 font-mono break-all">{e.email ?? "—"}</td> : null}
                  {show !== "list" ? <td className="px-4 py-1.5 break-all">{e.mailmanListId ?? "—"}</td> : null}
                  <td className="px-4 py-1.5 font-mono text-xs text-slate-600 break-all">
                    {e.method ? `${e.method} ${e.path ?? ""}` : "—"} {e.httpStatus !== null ? <span className={failed ? "text-red-700" : ""}>→ {e.httpStatus}</span> : null}
                  </td>
                  <td className="px-4 py-1.5">
                    {e.jobId ? (
                      <Link href={`/admin/targets/${targetId}/sync/jobs/${e.jobId}`} className="text-indigo-700 hover:underline">
                        #{e.jobId}
                      </Link>
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Pager label="History pages" page={page} pageCount={Math.max(1, Math.ceil(total / perPage))} hrefFor={hrefFor} />
    </div>
  );
}
