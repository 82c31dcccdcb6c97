import { MailmanError, MailmanTransportError } from "@/lib/mailman";
import { StoredCredentialsError } from "./targets";

/**
 * What to tell the user about a Mailman server that could not answer (offline, refused, stored
 * credentials unreadable), or null when `error` is something else and should propagate. Pages
 * that read several servers show these per server and go on with the others.
 */
export function serverProblem(error: unknown): string | null {
  if (error instanceof MailmanError || error instanceof MailmanTransportError) return error.userMessage;
  if (error instanceof StoredCredentialsError) return error.message;
  return null;
}
