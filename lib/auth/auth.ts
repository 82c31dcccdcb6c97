import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import { cookies } from "next/headers";
import Credentials from "next-auth/providers/credentials";
import { env, oidcEnabled } from "@/lib/env";
import { recordSignIn } from "@/lib/audit/sign-in";
import { logger } from "@/lib/logger";
import { clientAddress } from "./client-address";
import { passwordSignIn, SignInRateLimited } from "./sign-in";
import { claimsVerified, LINK_INTENT_COOKIE, linkedUserId, openLinkIntent, resolveOidcSignIn } from "./oidc-link";

export class RateLimitedSignin extends CredentialsSignin {
  code = "rate_limited";
}

export const OIDC_PROVIDER_ID = "oidc";

const providers: NextAuthConfig["providers"] = [
  Credentials({
    credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
    async authorize(raw, request) {
      try {
        return await passwordSignIn(raw, { clientAddress: clientAddress(request.headers) });
      } catch (error) {
        if (error instanceof SignInRateLimited) throw new RateLimitedSignin();
        throw error;
      }
    },
  }),
];

if (oidcEnabled) {
  providers.push({
    id: OIDC_PROVIDER_ID,
    name: env.AUTH_OIDC_NAME,
    type: "oidc",
    issuer: env.AUTH_OIDC_ISSUER,
    clientId: env.AUTH_OIDC_CLIENT_ID,
    clientSecret: env.AUTH_OIDC_CLIENT_SECRET,
  });
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  providers,
  // The Credentials provider requires JWT sessions, which cannot be revoked: keep them short,
  // and let the guard reload the account (disabled? superuser?) on every request.
  session: { strategy: "jwt", maxAge: env.SESSION_MAX_AGE_SECONDS, updateAge: Math.floor(env.SESSION_MAX_AGE_SECONDS / 4) },
  pages: { signIn: "/login" },
  trustHost: true,
  logger: {
    // A wrong password is an expected outcome, not a server error.
    error: (error) =>
      error instanceof CredentialsSignin || (error as { type?: string }).type === "CredentialsSignin"
        ? logger.info({ code: (error as CredentialsSignin).code }, "sign-in refused")
        : logger.error({ err: error }, "auth error"),
    warn: (code) => logger.warn({ code }, "auth warning"),
  },
  events: {
    async signIn({ user, account }) {
      const oidc = account?.provider === OIDC_PROVIDER_ID;
      const userId = oidc ? (account?.providerAccountId ? await linkedUserId(OIDC_PROVIDER_ID, account.providerAccountId) : null) : user.id;
      await recordSignIn(userId, oidc ? "single sign-on" : "password");
    },
  },
  callbacks: {
    async signIn({ account, profile }) {
      if (account?.provider !== OIDC_PROVIDER_ID) return true;
      if (!account.providerAccountId) return "/login?error=oidc_failed";
      const store = await cookies();
      const linkToUserId = openLinkIntent(store.get(LINK_INTENT_COOKIE)?.value) ?? undefined;
      if (linkToUserId) store.delete(LINK_INTENT_COOKIE);
      const decision = await resolveOidcSignIn(
        {
          provider: OIDC_PROVIDER_ID,
          subject: account.providerAccountId,
          email: typeof profile?.email === "string" ? profile.email : null,
          emailVerified: claimsVerified(profile?.email_verified),
          name: typeof profile?.name === "string" ? profile.name : null,
        },
        { linkToUserId },
      );
      if ("refused" in decision) {
        logger.info({ reason: decision.refused, linking: Boolean(linkToUserId) }, "single sign-on refused");
        return linkToUserId ? `/account/single-sign-on?error=${decision.refused}` : `/login?error=${decision.refused}`;
      }
      if (decision.linked) logger.info({ userId: decision.userId, created: decision.created }, "single sign-on identity linked");
      return true;
    },
    async jwt({ token, user, account }) {
      if (account?.provider === OIDC_PROVIDER_ID) {
        // The signIn callback above linked the subject to an account (or refused).
        const userId = account.providerAccountId ? await linkedUserId(OIDC_PROVIDER_ID, account.providerAccountId) : null;
        if (!userId) throw new Error("single sign-on identity is not linked to an account");
        token.uid = userId;
      } else if (user?.id) {
        token.uid = user.id;
      }
      // Nothing but the account id travels in the token; names and roles come from the database.
      delete token.email;
      delete token.name;
      delete token.picture;
      return token;
    },
    async session({ session, token }) {
      return { ...session, userId: typeof token.uid === "string" ? token.uid : undefined };
    },
  },
});

declare module "next-auth" {
  interface Session {
    userId?: string;
  }
}
