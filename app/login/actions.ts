"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { z } from "zod";
import { actionClient } from "@/lib/actions/safe-action";
import { signIn, signOut, OIDC_PROVIDER_ID } from "@/lib/auth/auth";
import { oidcEnabled } from "@/lib/env";
import { InvalidInputError } from "@/lib/errors";

const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").max(320),
  password: z.string().min(1, "Enter your password.").max(1024),
  callbackUrl: z.string().max(2000).optional(),
});

/** Only same-site paths: an open redirect after sign-in would hand sessions to phishing pages. */
function safeCallback(url: string | undefined): string {
  return url && url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\") ? url : "/lists";
}

export const signInAction = actionClient.inputSchema(signInSchema).action(async ({ parsedInput }) => {
  try {
    await signIn("credentials", {
      email: parsedInput.email,
      password: parsedInput.password,
      redirectTo: safeCallback(parsedInput.callbackUrl),
    });
  } catch (error) {
    if (error instanceof AuthError) {
      const code = (error as AuthError & { code?: string }).code;
      if (code === "rate_limited") {
        throw new InvalidInputError("Too many sign-in attempts from your network. Wait a few minutes and try again.");
      }
      throw new InvalidInputError("Wrong email or password.", { field: "password" });
    }
    // signIn answers success with a redirect, which Next implements as a thrown signal.
    throw error;
  }
});

/**
 * The sign-in page's single sign-on form. Anyone may post anything here, not only the form's
 * fields: a body that is not the form has no callback, and without single sign-on set up it is
 * back to the sign-in page (calling the missing provider would be a 500).
 */
export async function signInWithOidc(form: unknown) {
  if (!oidcEnabled) redirect("/login");
  const callbackUrl = form instanceof FormData ? form.get("callbackUrl") : null;
  await signIn(OIDC_PROVIDER_ID, { redirectTo: safeCallback(typeof callbackUrl === "string" ? callbackUrl : undefined) });
}

export async function signOutAction() {
  await signOut({ redirectTo: "/login" });
}
