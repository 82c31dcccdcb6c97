import type { AuditAction } from "./actions";

/**
 * The Mailman list an audit entry concerns, read from its action and subject (pure). Entries
 * about one list carry its list id as their subject; templates carry `list:<list id>:<name>`
 * when they belong to a list. Servers, domains and global bans concern no list.
 */
export function listIdOfEntry(action: AuditAction, subject: string): string | null {
  if (!subject) return null;
  if (action === "auth.sign_in" || /^(target|domain|global-ban|registry|provisioning|api_token|people)\./.test(action)) return null;
  if (action.startsWith("template.")) {
    if (!subject.startsWith("list:")) return null;
    const listId = subject.split(":")[1];
    return listId || null;
  }
  return subject;
}
