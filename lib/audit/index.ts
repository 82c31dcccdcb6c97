export { AUDIT_ACTIONS, isAuditAction, type AuditAction } from "./actions";
export { recordAudit, runAsActor, type AuditActor, type AuditEntry } from "./record";
