import Link from "next/link";

/** "Mailman servers / <server>" above every page about one server. */
export function TargetBreadcrumb({ target }: { target?: { id: number; name: string } }) {
  return (
    <nav aria-label="Breadcrumb" className="flex gap-2 text-sm text-slate-500">
      <Link href="/admin/targets" className="text-indigo-700 hover:underline">
        Mailman servers
      </Link>
      {target ? (
        <>
          <span aria-hidden>/</span>
          <Link href={`/admin/targets/${target.id}`} className="text-indigo-700 hover:underline">
            {target.name}
          </Link>
        </>
      ) : null}
    </nav>
  );
}
