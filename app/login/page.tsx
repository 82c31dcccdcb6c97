import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { currentViewer } from "@/lib/auth/guard";
import { oidcRefusalText } from "@/lib/auth/oidc-messages";
import { env, oidcEnabled } from "@/lib/env";
import { LoginForm } from "./login-form";
import { signInWithOidc } from "./actions";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const params = await searchParams;
  const ssoRefusal = oidcRefusalText(params.error, env.AUTH_OIDC_NAME);
  // After a refused single sign-on into an existing account, the password leads on to linking.
  const callbackUrl = params.error === "oidc_link_required" || params.error === "oidc_unverified" ? "/account/single-sign-on" : params.callbackUrl;
  if (await currentViewer()) redirect("/lists");
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="mb-6 text-2xl font-bold">Sign in to Listkeeper</h1>
      {ssoRefusal ? (
        <Alert tone="error" className="mb-4">
          {ssoRefusal}
        </Alert>
      ) : null}
      <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <LoginForm callbackUrl={callbackUrl} />
        {oidcEnabled ? (
          <form action={signInWithOidc} className="mt-4 border-t border-slate-200 pt-4">
            <input type="hidden" name="callbackUrl" value={callbackUrl ?? ""} />
            <button type="submit" className="w-full rounded-md px-3 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-50">
              Continue with {env.AUTH_OIDC_NAME}
            </button>
          </form>
        ) : null}
      </div>
      <p className="mt-4 flex justify-between text-sm text-slate-600">
        <Link href="/forgot-password" className="font-medium text-indigo-700">
          Forgot your password?
        </Link>
        {env.SIGNUP === "open" ? (
          <Link href="/signup" className="font-medium text-indigo-700">
            Create an account
          </Link>
        ) : null}
      </p>
    </div>
  );
}
