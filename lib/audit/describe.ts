import type { AuditAction } from "./actions";

/**
 * Words for the audit log (pure, browser-safe): a label per action and a one-line summary of a
 * row's detail, old → new for settings. Unknown detail shapes fall back to "key: value" pairs so
 * that nothing recorded is hidden.
 */

export const ACTION_LABELS: Record<AuditAction, string> = {
  "target.create": "Server registered",
  "target.update": "Server changed",
  "target.delete": "Server removed",
  "domain.create": "Domain created",
  "domain.update": "Domain changed",
  "domain.delete": "Domain deleted",
  "list.create": "List created",
  "list.delete": "List deleted",
  "list.settings.update": "Settings changed",
  "list.digest.send": "Digest sent",
  "list.digest.new_volume": "New digest volume",
  "list.moderator_password.set": "Moderator password set",
  "list.disable": "List disabled",
  "list.archive": "List archived",
  "list.enable": "List re-enabled",
  "list.config.import": "Configuration imported",
  "list.config.copy": "Configuration copied",
  "header-filter.add": "Header filter added",
  "header-filter.update": "Header filter changed",
  "header-filter.move": "Header filter moved",
  "header-filter.delete": "Header filter deleted",
  "ban.add": "Address banned",
  "ban.remove": "Ban removed",
  "global-ban.add": "Address banned on the server",
  "global-ban.remove": "Server ban removed",
  "template.save": "Template saved",
  "template.restore": "Template restored",
  "template.publish": "Template published",
  "template.reset": "Template reset",
  "member.moderation": "Member moderation changed",
  "member.preferences": "Member preferences changed",
  "member.address": "Member address changed",
  "member.unsubscribe": "Member unsubscribed",
  "owner.add": "Owner added",
  "owner.remove": "Owner removed",
  "moderator.add": "Moderator added",
  "moderator.remove": "Moderator removed",
  "members.mass_subscribe": "Mass subscribe started",
  "members.mass_subscribe.finished": "Mass subscribe finished",
  "members.mass_remove": "Mass removal started",
  "members.mass_remove.finished": "Mass removal finished",
  "members.remove_all": "Remove all members started",
  "members.bulk_cancel": "Mass job cancelled",
  "members.import_roles": "Owners and moderators imported",
  "people.remove_everywhere": "Remove everywhere started",
  "people.remove_everywhere.finished": "Remove everywhere finished",
  "held.accept": "Held message accepted",
  "held.reject": "Held message rejected",
  "held.discard": "Held message discarded",
  "held.defer": "Held message deferred",
  "held.sender-accept": "Sender always accepted",
  "request.accept": "Request accepted",
  "request.reject": "Request rejected",
  "request.discard": "Request discarded",
  "request.defer": "Request deferred",
  "request.ban": "Request sender banned",
  "auth.sign_in": "Superuser signed in",
  "registry.person": "Registry person changed",
  "registry.group": "Registry group changed",
  "registry.email_list": "Registry email list changed",
  "registry.preference": "List preference changed",
  "provisioning.run": "Provisioning run requested",
  "api_token.create": "API token created",
  "api_token.revoke": "API token revoked",
  "scim_connector.create": "SCIM connector created",
  "scim_connector.update": "SCIM connector's address types changed",
  "scim_connector.revoke": "SCIM connector revoked",
};

const MAX_SUMMARY = 400;

function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "(empty)";
  if (typeof value === "string") return value.length > 60 ? `${value.slice(0, 57)}…` : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.length === 0 ? "(none)" : value.map(show).join(", ");
  return JSON.stringify(value);
}

function clip(text: string): string {
  return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function counts(outcomes: unknown): string | null {
  if (!isRecord(outcomes)) return null;
  const parts = Object.entries(outcomes)
    .filter(([, n]) => typeof n === "number" && n > 0)
    .map(([k, n]) => `${n} ${k.replaceAll("_", " ")}`);
  return parts.length ? parts.join(", ") : null;
}

function pairs(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .filter(([, v]) => v !== undefined && !isRecord(v) && !(Array.isArray(v) && v.some(isRecord)))
    .map(([k, v]) => `${k}: ${show(v)}`)
    .join("; ");
}

/**
 * One line saying what changed; for a refused change (`detail.error`, lib/audit/record.ts) what
 * was asked, then why it failed in the words the person was shown.
 */
export function describeAuditDetail(action: string, subject: string, detail: Record<string, unknown>): string {
  if (typeof detail.error !== "string") return describeChange(action, subject, detail);
  const { error, ...rest } = detail;
  const asked = describeChange(action, subject, rest);
  return clip(asked ? `${asked} — ${error}` : error);
}

function describeChange(action: string, subject: string, detail: Record<string, unknown>): string {
  switch (action) {
    case "list.settings.update": {
      const changes = Array.isArray(detail.changes) ? detail.changes.filter(isRecord) : [];
      const section = typeof detail.section === "string" ? `${detail.section}: ` : "";
      if (changes.length === 0) return clip(`${section}no change`);
      return clip(section + changes.map((c) => `${String(c.key)} ${show(c.from)} → ${show(c.to)}`).join("; "));
    }
    case "ban.add":
    case "ban.remove":
    case "held.sender-accept":
      return clip([detail.email, detail.via ? `(from ${String(detail.via)})` : "", detail.role ? `as ${String(detail.role)}` : ""].filter(Boolean).join(" "));
    case "global-ban.add":
    case "global-ban.remove":
      return subject;
    case "members.mass_subscribe":
    case "members.mass_remove":
      return clip(`${show(detail.addresses)} addresses${detail.invalid ? `, ${show(detail.invalid)} invalid` : ""} (job ${show(detail.jobId)})`);
    case "members.mass_subscribe.finished":
    case "members.mass_remove.finished":
      return clip(`${counts(detail.outcomes) ?? "nothing done"}${detail.cancelled ? " — cancelled" : ""} (job ${show(detail.jobId)})`);
    case "people.remove_everywhere":
      return clip(`${show(detail.memberships)} memberships (${show(detail.roles)})${detail.globalBan ? ", global ban" : ""} (job ${show(detail.jobId)})`);
    case "people.remove_everywhere.finished":
      return clip(`${counts(detail.outcomes) ?? "nothing done"} (job ${show(detail.jobId)})`);
    case "members.remove_all":
      return clip(`${show(detail.members)} members (job ${show(detail.jobId)})`);
    case "members.import_roles": {
      const results = Array.isArray(detail.results) ? detail.results.filter(isRecord) : [];
      return clip(results.map((r) => `${String(r.email)} as ${String(r.role)}: ${String(r.outcome)}`).join("; ") || "nothing to import");
    }
    case "list.config.import":
    case "list.config.copy":
      return clip(`${Array.isArray(detail.parts) ? detail.parts.join(", ") : "configuration"}${detail.source ? ` from ${show(detail.source)}` : ""}${detail.ok === false ? " — some parts failed" : ""}`);
    case "list.disable":
    case "list.archive":
      return clip(`owners replaced by ${show(detail.placeholderOwner)}`);
    case "target.create":
    case "target.update":
      return clip(`${subject} (${show(detail.serverUrl)})${detail.passwordChanged ? ", password changed" : ""}`);
    case "auth.sign_in":
      return clip(`by ${show(detail.method)}`);
    default:
      return clip(pairs(detail));
  }
}

export function actionLabel(action: string): string {
  return (ACTION_LABELS as Record<string, string>)[action] ?? action;
}
