import type { PlanLine } from "@/lib/lists/disable-plan";

/** The changes a step will make, before it is applied: what, from, to, one row each. */
export function PlanTable({ lines, caption }: { lines: readonly PlanLine[]; caption: string }) {
  if (lines.length === 0) return <p className="text-sm text-slate-600">Nothing to change: the list is already in that state.</p>;
  return (
    <div className="overflow-x-auto rounded-lg bg-white ring-1 ring-slate-200">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2">Change</th>
            <th scope="col" className="px-3 py-2">Now</th>
            <th scope="col" className="px-3 py-2">After</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {lines.map((line, i) => (
            <tr key={i}>
              <td className="px-3 py-1.5 font-medium text-slate-800">{line.what}</td>
              <td className="px-3 py-1.5 break-all text-slate-700">{line.from}</td>
              <td className="px-3 py-1.5 break-all text-slate-900">{line.to}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
