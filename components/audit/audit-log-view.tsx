import Form from "next/form";
import Link from "next/link";
import { Address } from "@/components/ui/address";
import { Alert } from "@/components/ui/alert";
import { Badge, Card, EmptyState } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { Pager } from "@/components/ui/pager";
import { AUDIT_ACTIONS } from "@/lib/audit/actions";
import { actorText } from "@/lib/audit/csv";
import { actionLabel, describeAuditDetail } from "@/lib/audit/describe";
import type { AuditFilter, AuditRow } from "@/lib/audit/search";

const control =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600";

const FAMILIES: { value: string; label: string }[] = [
  { value: "list.", label: "Lists (all)" },
  { value: "header-filter.", label: "Header filters (all)" },
  { value: "template.", label: "Templates (all)" },
  { value: "members.", label: "Mass jobs (all)" },
  { value: "held.", label: "Held messages (all)" },
  { value: "request.", label: "Requests (all)" },
];

const OUTCOME_TONE = { ok: "emerald", partial: "amber", failed: "red" } as const;
const OUTCOME_LABEL = { ok: "Done", partial: "Partly done", failed: "Failed" } as const;

export interface AuditLogViewProps {
  /** The page's own path; filters and pages are links to it. */
  basePath: string;
  exportPath: string;
  filter: AuditFilter;
  errors: Record<string, string>;
  rows: AuditRow[];
  total: number;
  page: number;
  pages: number;
  /** Superusers' page: server and list filters. Absent on a list's own page. */
  scopeChoices?: { targets: { id: number; name: string }[]; lists: string[] };
}

function query(filter: AuditFilter, page?: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value !== undefined && value !== "" && key !== "page") params.set(key, String(value));
  if (page && page > 1) params.set("page", String(page));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The audit log's filters, table, pager and export link, shared by the site and list pages. */
export function AuditLogView({ basePath, exportPath, filter, errors, rows, total, page, pages, scopeChoices }: AuditLogViewProps) {
  const filtered = Object.entries(filter).some(([k, v]) => k !== "page" && v !== undefined && v !== "");
  return (
    <div className="space-y-6">
      <Form action={basePath} role="search" aria-label="Filter the audit log" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {scopeChoices ? (
          <>
            <div className="space-y-1">
              <label htmlFor="audit-target" className="block text-sm font-medium text-slate-800">Server</label>
              <select id="audit-target" name="target" defaultValue={filter.target ? String(filter.target) : ""} className={control}>
                <option value="">All servers</option>
                {scopeChoices.targets.map((t) => (
                  <option key={t.id} value={String(t.id)}>{t.name}</option>
                ))}
              </select>
            </div>
            <div className="space-y-1">
              <label htmlFor="audit-list" className="block text-sm font-medium text-slate-800">List</label>
              <input id="audit-list" name="list" list="audit-list-choices" defaultValue={filter.list ?? ""} placeholder="any list (list id)" className={`${control} font-mono`} />
              <datalist id="audit-list-choices">
                {scopeChoices.lists.map((l) => (
                  <option key={l} value={l} />
                ))}
              </datalist>
            </div>
          </>
        ) : null}
        <div className="space-y-1">
          <label htmlFor="audit-actor" className="block text-sm font-medium text-slate-800">Actor</label>
          <input id="audit-actor" name="actor" defaultValue={filter.actor ?? ""} placeholder="address or token name" className={control} />
        </div>
        <div className="space-y-1">
          <label htmlFor="audit-actor-kind" className="block text-sm font-medium text-slate-800">Acting through</label>
          <select id="audit-actor-kind" name="actorKind" defaultValue={filter.actorKind ?? ""} className={control}>
            <option value="">Anything</option>
            <option value="user">A person at the console</option>
            <option value="api_token">An API token</option>
            <option value="scim">SCIM</option>
            <option value="scheduler">The scheduler</option>
            <option value="cli">The command line</option>
            <option value="system">The system (no door)</option>
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="audit-action" className="block text-sm font-medium text-slate-800">Action</label>
          <select id="audit-action" name="action" defaultValue={filter.action ?? ""} className={control}>
            <option value="">Every action</option>
            <optgroup label="Families">
              {FAMILIES.map((f) => (
                <option key={f.value} value={f.value}>{f.label}</option>
              ))}
            </optgroup>
            <optgroup label="Actions">
              {AUDIT_ACTIONS.map((a) => (
                <option key={a} value={a}>{actionLabel(a)}</option>
              ))}
            </optgroup>
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="audit-from" className="block text-sm font-medium text-slate-800">From (UTC)</label>
          <input id="audit-from" name="from" type="date" defaultValue={filter.from ?? ""} className={control} aria-invalid={errors.from ? true : undefined} aria-describedby={errors.from ? "audit-from-error" : undefined} />
          {errors.from ? <p id="audit-from-error" className="text-xs text-red-700">{errors.from}</p> : null}
        </div>
        <div className="space-y-1">
          <label htmlFor="audit-to" className="block text-sm font-medium text-slate-800">To (UTC, inclusive)</label>
          <input id="audit-to" name="to" type="date" defaultValue={filter.to ?? ""} className={control} aria-invalid={errors.to ? true : undefined} aria-describedby={errors.to ? "audit-to-error" : undefined} />
          {errors.to ? <p id="audit-to-error" className="text-xs text-red-700">{errors.to}</p> : null}
        </div>
        <div className="flex items-end gap-3">
          <button type="submit" className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500">
            Filter
          </button>
          {filtered ? (
            <Link href={basePath} className="text-sm text-indigo-700 hover:underline">
              Clear filters
            </Link>
          ) : null}
        </div>
      </Form>
      {Object.keys(errors).length ? (
        <Alert tone="error" title="Some filters were not understood and are not applied">
          {Object.entries(errors).map(([k, m]) => `${k}: ${m}`).join(" · ")}
        </Alert>
      ) : null}
      <Card
        title={`${total} ${total === 1 ? "entry" : "entries"}`}
        description="Newest first. Every change Listkeeper made or recorded, with who made it and how it ended."
        actions={
          total > 0 ? (
            <a href={`${exportPath}${query(filter)}`} className="text-sm font-medium text-indigo-700 hover:underline" download>
              Export CSV
            </a>
          ) : null
        }
      >
        {rows.length === 0 ? (
          <EmptyState title={filtered ? "No entry matches these filters" : "Nothing recorded yet"}>
            {filtered ? "Widen the dates or clear a filter." : "Changes made through Listkeeper appear here as they happen."}
          </EmptyState>
        ) : (
          <div className="-mx-4 overflow-x-auto sm:mx-0">
            <table className="min-w-full text-left text-sm" data-testid="audit-table">
              <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="px-3 py-2">Time</th>
                  <th scope="col" className="px-3 py-2">Actor</th>
                  {scopeChoices ? <th scope="col" className="px-3 py-2">Where</th> : null}
                  <th scope="col" className="px-3 py-2">Action</th>
                  <th scope="col" className="px-3 py-2">Change</th>
                  <th scope="col" className="px-3 py-2">Outcome</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((row) => (
                  <tr key={row.id} className="align-top">
                    <td className="whitespace-nowrap px-3 py-2 text-slate-600"><DateTime value={row.at} /></td>
                    <td className="px-3 py-2"><Address email={actorText(row)} /></td>
                    {scopeChoices ? (
                      <td className="px-3 py-2">
                        <div className="text-slate-600">{row.targetName ?? ""}</div>
                        {row.listId ? <div className="font-mono text-xs break-words">{row.listId}</div> : null}
                      </td>
                    ) : null}
                    <td className="px-3 py-2">{actionLabel(row.action)}</td>
                    <td className="px-3 py-2 break-words text-slate-700">{describeAuditDetail(row.action, row.subject, row.detail) || row.subject}</td>
                    <td className="px-3 py-2">
                      <Badge tone={OUTCOME_TONE[row.outcome]}>{OUTCOME_LABEL[row.outcome]}</Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div className="mt-4">
          <Pager label="Audit log pages" page={page} pageCount={pages} hrefFor={(p) => `${basePath}${query(filter, p)}`} />
        </div>
      </Card>
    </div>
  );
}
