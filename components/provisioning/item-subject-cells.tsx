import Link from "next/link";

/**
 * The person, list (with role) and address cells of a job item's row, linked to their change
 * history under `base` (/admin/targets/<id>/sync): the job page and the sync page's failed items.
 */
export function ItemSubjectCells({
  base,
  item: r,
}: {
  base: string;
  item: { personId: number | null; person?: string | null; emailListId: number | null; list?: string | null; role: string | null; email: string | null };
}) {
  return (
    <>
      <td className="px-3 py-2">
        {r.personId ? (
          <Link href={`${base}/people/${r.personId}`} className="text-indigo-700 hover:underline">
            {r.person || `person ${r.personId}`}
          </Link>
        ) : (
          "—"
        )}
      </td>
      <td className="px-3 py-2">
        {r.emailListId ? (
          <Link href={`${base}/lists/${r.emailListId}`} className="text-indigo-700 hover:underline">
            {r.list ?? `list ${r.emailListId}`}
          </Link>
        ) : (
          "—"
        )}
        {r.role ? <span className="text-slate-500"> ({r.role})</span> : null}
      </td>
      <td className="break-all px-3 py-2 font-mono">{r.email ?? "—"}</td>
    </>
  );
}
