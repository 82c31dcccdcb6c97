import Link from "next/link";

/** Previous / "Page X of Y" / Next links for a server-paged table; nothing when one page suffices. */
export function Pager({ label, page, pageCount, hrefFor }: { label: string; page: number; pageCount: number; hrefFor: (page: number) => string }) {
  if (pageCount <= 1) return null;
  return (
    <nav aria-label={label} className="flex items-center justify-between text-sm">
      {page > 1 ? (
        <Link href={hrefFor(page - 1)} className="text-indigo-700 hover:underline">
          ← Previous page
        </Link>
      ) : (
        <span />
      )}
      <span className="text-slate-600">
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? (
        <Link href={hrefFor(page + 1)} className="text-indigo-700 hover:underline">
          Next page →
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
