import type { OidcRefusal } from "./oidc-link";

/** What a refused single sign-on tells the person (browser-safe: texts only). */
export function oidcRefusalText(code: string | undefined, providerName: string): string | null {
  const messages: Record<OidcRefusal | "oidc_failed", string> = {
    oidc_link_required: `An account with your ${providerName} e-mail address already exists. Sign in with its password below; you will then be taken to the page where you link ${providerName} to it.`,
    oidc_unverified: `${providerName} does not confirm that your e-mail address is verified, and an account with that address exists, so Listkeeper will not open it. Sign in with the account's password and link ${providerName} from your account, or ask a superuser.`,
    oidc_identity_taken: `This ${providerName} account is already linked to another Listkeeper account. Sign out and sign in with ${providerName} to use that one.`,
    oidc_disabled: "This account is disabled. Ask a Listkeeper superuser.",
    oidc_failed: `${providerName} did not identify you. Try again.`,
  };
  return code && code in messages ? messages[code as keyof typeof messages] : null;
}
