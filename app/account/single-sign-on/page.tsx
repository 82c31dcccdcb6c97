import type { Metadata } from "next";
import { Alert } from "@/components/ui/alert";
import { Card, PageHeader } from "@/components/ui/card";
import { requireViewer } from "@/lib/auth/guard";
import { identitiesOf } from "@/lib/auth/oidc-link";
import { oidcRefusalText } from "@/lib/auth/oidc-messages";
import { OIDC_PROVIDER_ID } from "@/lib/auth/auth";
import { guardPage } from "@/lib/auth/page-guard";
import { env, oidcEnabled } from "@/lib/env";
import { linkSingleSignOnAction } from "./actions";
import { DateTime } from "@/components/ui/date-time";

export const metadata: Metadata = { title: "Single sign-on" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SingleSignOnPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await guardPage(requireViewer, "/account/single-sign-on");
  const params = await searchParams;
  const error = typeof params.error === "string" ? oidcRefusalText(params.error, env.AUTH_OIDC_NAME) : null;
  const linked = (await identitiesOf(viewer.id)).find((i) => i.provider === OIDC_PROVIDER_ID);
  const provider = env.AUTH_OIDC_NAME;

  async function link() {
    "use server";
    await linkSingleSignOnAction();
  }

  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <PageHeader title="Single sign-on" description={`Sign in to Listkeeper with ${provider} instead of a password.`} />
      {error ? <Alert tone="error">{error}</Alert> : null}
      {params.linked === "1" && linked ? <Alert tone="success">{provider} is now linked to your account.</Alert> : null}
      <Card>
        {!oidcEnabled ? (
          <p className="text-sm text-slate-700">Single sign-on is not set up on this Listkeeper.</p>
        ) : linked ? (
          <p className="text-sm text-slate-700" data-testid="sso-linked">
            Your account is linked to {provider} (since <DateTime value={linked.createdAt} />). You can sign in with it or with your password.
          </p>
        ) : (
          <form action={link} className="space-y-3">
            <p className="text-sm text-slate-700">
              Linking asks {provider} who you are and remembers that identity for this account. {provider}&apos;s e-mail address is added to your
              account only if {provider} says it is verified.
            </p>
            <button type="submit" className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500">
              Link {provider}
            </button>
          </form>
        )}
      </Card>
    </div>
  );
}
