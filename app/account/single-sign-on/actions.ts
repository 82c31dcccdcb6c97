"use server";

import { cookies } from "next/headers";
import { authedAction } from "@/lib/actions/safe-action";
import { OIDC_PROVIDER_ID, signIn } from "@/lib/auth/auth";
import { LINK_INTENT_COOKIE, LINK_INTENT_SECONDS, sealLinkIntent } from "@/lib/auth/oidc-link";
import { oidcEnabled, secureCookies } from "@/lib/env";
import { InvalidInputError } from "@/lib/errors";

/**
 * Links the provider to the signed-in account: the owner proved the account by signing in, and
 * the intent (sealed, ten minutes, only sent to the auth callback) carries that proof across the
 * round trip to the provider, whose callback then links the identity (lib/auth/oidc-link.ts).
 */
export const linkSingleSignOnAction = authedAction.action(async ({ ctx }) => {
  if (!oidcEnabled) throw new InvalidInputError("Single sign-on is not set up on this Listkeeper.");
  (await cookies()).set(LINK_INTENT_COOKIE, sealLinkIntent(ctx.viewer.id), {
    httpOnly: true,
    sameSite: "lax",
    secure: secureCookies,
    path: "/api/auth",
    maxAge: LINK_INTENT_SECONDS,
  });
  await signIn(OIDC_PROVIDER_ID, { redirectTo: "/account/single-sign-on?linked=1" });
});
