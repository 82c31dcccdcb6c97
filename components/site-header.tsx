import Link from "next/link";
import { currentViewer } from "@/lib/auth/guard";
import { signOutAction } from "@/app/login/actions";
import { HeaderMenu } from "./header-menu";

export async function SiteHeader() {
  const viewer = await currentViewer();
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav aria-label="Main" className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/lists" className="text-lg font-bold text-indigo-700">
          Listkeeper
        </Link>
        {viewer ? (
          <HeaderMenu>
            <Link href="/lists" className="whitespace-nowrap text-sm font-medium text-slate-700 hover:text-slate-900">
              Lists
            </Link>
            <Link href="/me" className="whitespace-nowrap text-sm font-medium text-slate-700 hover:text-slate-900">
              My lists
            </Link>
            {viewer.isSuperuser ? (
              <Link href="/admin/targets" className="whitespace-nowrap text-sm font-medium text-slate-700 hover:text-slate-900">
                Mailman servers
              </Link>
            ) : null}
            {viewer.isSuperuser ? (
              <Link href="/admin/registry" className="whitespace-nowrap text-sm font-medium text-slate-700 hover:text-slate-900">
                Registry
              </Link>
            ) : null}
            {viewer.isSuperuser ? (
              <Link href="/admin/people" className="whitespace-nowrap text-sm font-medium text-slate-700 hover:text-slate-900">
                Find a person
              </Link>
            ) : null}
            {viewer.isSuperuser ? (
              <Link href="/admin/audit" className="whitespace-nowrap text-sm font-medium text-slate-700 hover:text-slate-900">
                Audit log
              </Link>
            ) : null}
            {viewer.isSuperuser ? (
              <Link href="/admin/tokens" className="whitespace-nowrap text-sm font-medium text-slate-700 hover:text-slate-900">
                API tokens
              </Link>
            ) : null}
            {viewer.isSuperuser ? (
              <Link href="/admin/status" className="whitespace-nowrap text-sm font-medium text-slate-700 hover:text-slate-900">
                Status
              </Link>
            ) : null}
            {viewer.isSuperuser ? (
              <Link href="/admin/scim" className="whitespace-nowrap text-sm font-medium text-slate-700 hover:text-slate-900">
                SCIM
              </Link>
            ) : null}
            <div className="flex min-w-0 flex-wrap items-center gap-3 text-sm sm:ml-auto">
              <Link href="/account" className="min-w-0 break-all text-slate-600 hover:text-slate-900" data-testid="signed-in-as">
                {viewer.displayName || viewer.emails[0]?.email}
                {viewer.isSuperuser ? <span className="ml-1 text-xs text-indigo-700">(superuser)</span> : null}
              </Link>
              <form action={signOutAction}>
                <button type="submit" className="rounded px-2 py-1 text-slate-700 hover:bg-slate-100">
                  Sign out
                </button>
              </form>
            </div>
          </HeaderMenu>
        ) : (
          <Link href="/login" className="ml-auto text-sm font-medium text-indigo-700">
            Sign in
          </Link>
        )}
      </nav>
    </header>
  );
}
