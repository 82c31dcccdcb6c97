import Link from "next/link";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-lg text-center" data-testid="not-found">
      <p className="text-sm font-semibold text-slate-500">404</p>
      <h1 className="mt-2 text-2xl font-bold">Not found</h1>
      <p className="mt-2 text-slate-600">This page does not exist, or you may not see it.</p>
      <Link href="/lists" className="mt-6 inline-block text-indigo-700 underline">
        Back to the lists
      </Link>
    </div>
  );
}
