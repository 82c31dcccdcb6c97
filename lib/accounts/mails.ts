import { appUrl } from "@/lib/env";
import { appLink, composeMail, type ComposedMail } from "@/lib/mail/compose";

/** The wording of Listkeeper's account mail; links are built from AUTH_URL. */

const FOOTER = "If you did not ask for this, ignore this message: nothing changes without the link.";

export function verificationMail(email: string, token: string, kind: "signup" | "address"): ComposedMail {
  return composeMail({
    subject: kind === "signup" ? "Confirm your Listkeeper account" : "Confirm your address for Listkeeper",
    paragraphs: [
      kind === "signup"
        ? `Someone (hopefully you) created a Listkeeper account with ${email}.`
        : `Someone (hopefully you) added ${email} to a Listkeeper account.`,
      "Open the link below to confirm that this address is yours. Until then, Listkeeper does not use it for anything.",
    ],
    action: { label: "Confirm this address", url: appLink(appUrl, "/verify-email", { token }) },
    footer: FOOTER,
  });
}

/** Sent instead of a verification when the address already belongs to an account. */
export function alreadyRegisteredMail(email: string): ComposedMail {
  return composeMail({
    subject: "Your Listkeeper account",
    paragraphs: [
      `Someone tried to create a Listkeeper account, or to add an address, with ${email}, which already belongs to an account.`,
      "If that was you: sign in, or set a new password if you forgot it.",
    ],
    action: { label: "Set a new password", url: appLink(appUrl, "/forgot-password") },
    footer: FOOTER,
  });
}

export function passwordResetMail(token: string): ComposedMail {
  return composeMail({
    subject: "Set a new Listkeeper password",
    paragraphs: ["Someone (hopefully you) asked to set a new password for the Listkeeper account of this address.", "The link works once."],
    action: { label: "Set a new password", url: appLink(appUrl, "/reset-password", { token }) },
    footer: FOOTER,
  });
}
