export { AUDIT_ACTIONS, isAuditAction, type AuditAction } from "./actions";
export { auditDoor, auditStep, noteChange, plainMessage, withAuditScope, type AuditChange, type AuditDoor } from "./record";
