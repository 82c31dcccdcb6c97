import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="mx-auto max-w-lg text-center" data-testid="forbidden">
      <p className="text-sm font-semibold text-red-700">403</p>
      <h1 className="mt-2 text-2xl font-bold">You do not have access to this page</h1>
      <p className="mt-2 text-slate-600">
        Your account does not have the role this page needs: a list&apos;s pages are for its owners and moderators, the administration pages
        (Mailman servers, domains, new lists) for Listkeeper superusers. If you think you should have access, ask a superuser.
      </p>
      <Link href="/lists" className="mt-6 inline-block text-indigo-700 underline">
        Back to your lists
      </Link>
    </div>
  );
}
