/**
 * Every action name the audit log knows, in one place: `<thing>.<verb>`, lower case, words joined
 * by "_" or "-" as they always were (the names already stored stay valid). The audit page reads
 * its filter choices from here; a new kind of change adds its name here first.
 */
export const AUDIT_ACTIONS = [
  // Mailman servers and domains
  "target.create",
  "target.update",
  "target.delete",
  "domain.create",
  "domain.update",
  "domain.delete",
  // Lists
  "list.create",
  "list.delete",
  "list.settings.update",
  "list.digest.send",
  "list.digest.new_volume",
  "list.moderator_password.set",
  /** Disable/archive in one step (lib/lists/disable.ts) and its undo. */
  "list.disable",
  "list.archive",
  "list.enable",
  /** Configuration as code (lib/list-config/): a whole configuration applied to a list. */
  "list.config.import",
  "list.config.copy",
  // Header filters, bans, templates
  "header-filter.add",
  "header-filter.update",
  "header-filter.move",
  "header-filter.delete",
  "ban.add",
  "ban.remove",
  "global-ban.add",
  "global-ban.remove",
  "template.save",
  "template.restore",
  "template.publish",
  "template.reset",
  // Members and roles
  "member.moderation",
  "member.preferences",
  "member.address",
  "member.unsubscribe",
  "owner.add",
  "owner.remove",
  "moderator.add",
  "moderator.remove",
  "members.mass_subscribe",
  "members.mass_subscribe.finished",
  "members.mass_remove",
  "members.mass_remove.finished",
  "members.remove_all",
  "members.bulk_cancel",
  /** Owners and moderators taken over from a Google Groups export after its mass subscribe. */
  "members.import_roles",
  /** Remove everywhere (lib/people/remove-everywhere.ts): one person off every list of every server. */
  "people.remove_everywhere",
  "people.remove_everywhere.finished",
  // Moderation
  "held.accept",
  "held.reject",
  "held.discard",
  "held.defer",
  "held.sender-accept",
  "request.accept",
  "request.reject",
  "request.discard",
  "request.defer",
  "request.ban",
  // Accounts
  /** A superuser signed in (password or single sign-on). */
  "auth.sign_in",
  // Registry and provisioning (JSON API v1, CLI)
  "registry.person",
  "registry.group",
  "registry.email_list",
  "registry.preference",
  "provisioning.run",
  "api_token.create",
  "api_token.revoke",
  /** SCIM connectors (lib/scim/connectors.ts): an identity provider's feed and its token. */
  "scim_connector.create",
  "scim_connector.update",
  "scim_connector.revoke",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}

