export { MailmanClient, type PageRequest, type SubscribeInput, type SubscribeResult } from "./client";
export { MailmanError, MailmanSchemaError, MailmanTransportError, isMailmanError } from "./errors";
export { normaliseBaseUrl, type MailmanConnection } from "./http";
export { withMailmanCallLog, onMailmanCall, type MailmanCallRecord } from "./instrumentation";
export * from "./schemas";
