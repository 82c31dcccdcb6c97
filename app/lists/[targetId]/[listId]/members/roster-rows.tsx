"use client";

import Link from "next/link";
import { Badge } from "@/components/ui/card";
import type { StaffRole } from "@/lib/members/member-input";
import { RemoveStaffButton } from "./roster-forms";

/** One roster row as the page shows it: labels already chosen on the server. */
export interface RosterRowView {
  memberId: string;
  email: string;
  displayName: string;
  deliveryMode: string;
  /** Only in a view filtered by delivery status. */
  deliveryStatus: { label: string; enabled: boolean } | null;
  /** null: the list's default action applies. */
  moderation: string | null;
  bounceScore: number;
  subscribedAs: string;
}

/**
 * The rows of a roster page. A client component so that the page's payload carries each row's
 * data once (a few fields) instead of its whole element tree, which the HTML repeats anyway:
 * 25 rows were half of the members page's 70 KB and of its render time (issue 13).
 */
export function RosterRows({
  rows,
  basePath,
  showStatus,
  staff,
}: {
  rows: RosterRowView[];
  basePath: string;
  showStatus: boolean;
  staff: { targetId: number; listId: string; role: StaffRole } | null;
}) {
  return (
    <tbody className="divide-y divide-slate-100">
      {rows.map((row) => (
        <tr key={row.memberId || row.email}>
          <td>
            {staff ? (
              <span className="font-mono break-all">{row.email}</span>
            ) : (
              <Link href={`${basePath}/${row.memberId}`} className="text-indigo-700 hover:underline">
                {row.displayName ? <span className="font-medium">{`${row.displayName} `}</span> : null}
                <span className="font-mono break-all">{`<${row.email}>`}</span>
              </Link>
            )}
          </td>
          {staff ? (
            <td>
              <div className="flex justify-end">
                <RemoveStaffButton targetId={staff.targetId} listId={staff.listId} role={staff.role} email={row.email} />
              </div>
            </td>
          ) : (
            <>
              <td>{row.deliveryMode}</td>
              {showStatus ? <td>{row.deliveryStatus ? <Badge tone={row.deliveryStatus.enabled ? "emerald" : "amber"}>{row.deliveryStatus.label}</Badge> : null}</td> : null}
              <td>{row.moderation ?? <span className="text-slate-500">List default</span>}</td>
              <td className="text-right tabular-nums">{row.bounceScore}</td>
              <td className="text-slate-600">{row.subscribedAs}</td>
            </>
          )}
        </tr>
      ))}
    </tbody>
  );
}
