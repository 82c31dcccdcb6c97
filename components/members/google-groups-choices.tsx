"use client";

import { Badge } from "@/components/ui/card";
import type { GoogleGroupsImport } from "@/lib/members/mass-input";

/**
 * What a Google Groups export adds to the mass-subscribe preview: its owners and managers, offered
 * as owners and moderators (added after the job), and the rows left out (bouncing, suspended,
 * invited …), each of which can be chosen to be subscribed anyway.
 */
export function GoogleGroupsChoices({
  google,
  staff,
  onStaff,
  include,
  onInclude,
  disabled,
}: {
  google: GoogleGroupsImport;
  staff: readonly number[];
  onStaff: (lines: number[]) => void;
  include: readonly number[];
  onInclude: (lines: number[]) => void;
  disabled?: boolean;
}) {
  const toggle = (list: readonly number[], line: number, on: boolean) => (on ? [...list, line] : list.filter((l) => l !== line));
  const flagged = [...google.included, ...google.leftOut].sort((a, b) => a.line - b.line);
  const preferences = Object.entries(google.preferences);
  return (
    <section aria-labelledby="google-groups-heading" className="space-y-4 rounded-md bg-sky-50 p-4 text-sm ring-1 ring-sky-200">
      <h3 id="google-groups-heading" className="font-semibold text-sky-900">
        Google Groups export{google.groupName ? `: ${google.groupName}` : ""}
      </h3>
      <p className="text-sky-900">
        Nicknames are kept as display names.
        {preferences.length > 0 ? ` Email preferences in the export: ${preferences.map(([p, n]) => `${n} × ${p}`).join(", ")}; everyone gets the delivery mode chosen above.` : ""}
      </p>

      {google.staff.length > 0 ? (
        <fieldset className="space-y-1">
          <legend className="font-medium text-slate-900">Owners and managers in Google Groups</legend>
          <p className="text-xs text-slate-600">Subscribed like everyone; tick them to also make them owners or moderators here. That is a separate step on the job&apos;s page once the subscriptions are done.</p>
          {google.staff.map((s) => (
            <label key={s.line} className="flex flex-wrap items-center gap-2">
              <input type="checkbox" checked={staff.includes(s.line)} disabled={disabled} onChange={(e) => onStaff(toggle(staff, s.line, e.target.checked))} />
              <span>
                Make <span className="font-mono">{s.email}</span> {s.role === "owner" ? "an owner" : "a moderator"}
              </span>
              <Badge tone="indigo">Google {s.role === "owner" ? "owner" : "manager"}</Badge>
            </label>
          ))}
        </fieldset>
      ) : null}

      {flagged.length > 0 ? (
        <fieldset className="space-y-1" data-testid="google-groups-left-out">
          <legend className="font-medium text-slate-900">
            Left out: {google.leftOut.length} of {flagged.length} {flagged.length === 1 ? "row" : "rows"} Google marks as not receiving mail or not joined
          </legend>
          {flagged.map((r) => (
            <label key={r.line} className="flex flex-wrap items-center gap-2">
              <input type="checkbox" checked={include.includes(r.line)} disabled={disabled} onChange={(e) => onInclude(toggle(include, r.line, e.target.checked))} />
              <span>
                Subscribe anyway: line {r.line}, <span className="font-mono">{r.email}</span>
              </span>
              <span className="text-xs text-slate-600">({r.reason})</span>
            </label>
          ))}
        </fieldset>
      ) : null}
    </section>
  );
}
