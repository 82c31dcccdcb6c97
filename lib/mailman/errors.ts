/**
 * Errors from a Mailman core. `MailmanError` is an HTTP answer from the core (mailman-rest.md §1:
 * bodies are `{title, description?}`); `MailmanTransportError` means no answer came back at all.
 * Neither carries the REST credentials: messages name the method and path only.
 */
export class MailmanError extends Error {
  readonly status: number;
  readonly title: string;
  readonly description: string | undefined;
  readonly method: string;
  readonly path: string;

  constructor(init: { status: number; title: string; description?: string; method: string; path: string }) {
    super(`Mailman ${init.method} ${init.path} → ${init.status} ${init.description ?? init.title}`);
    this.name = "MailmanError";
    this.status = init.status;
    this.title = init.title;
    this.description = init.description;
    this.method = init.method;
    this.path = init.path;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  /**
   * The core failed on its side and may well succeed when asked again: a 5xx, or the 400 that
   * Mailman 3.3 answers when its SQLite database is locked while it checks a request's parameters
   * (its validator turns any error there into a 400). Either way the core rolled the request back.
   */
  get isTransient(): boolean {
    return this.status >= 500 || (this.status === 400 && /database is locked/i.test(this.description ?? ""));
  }

  /** The core's own words, suitable to show a list admin next to the field they concern. */
  get userMessage(): string {
    if (this.status === 401) return "The Mailman core rejected Listkeeper's REST credentials (401). Check the admin user and password.";
    if (this.status >= 500) return "The Mailman core failed with an internal error. Its log (mailman.log) has the traceback.";
    if (this.isTransient) return "The Mailman core was busy (its database was locked) and did nothing. Try again in a moment.";
    const text = this.description && this.description !== this.title ? this.description : this.title;
    return text.replace(/^\d{3}\s+/, "");
  }
}

export type TransportFailure = "refused" | "timeout" | "dns" | "tls" | "reset" | "invalid_response" | "unknown";

export class MailmanTransportError extends Error {
  readonly kind: TransportFailure;
  readonly method: string;
  readonly path: string;

  constructor(kind: TransportFailure, method: string, path: string, detail?: string) {
    super(`Mailman ${method} ${path}: ${kind}${detail ? ` (${detail})` : ""}`);
    this.name = "MailmanTransportError";
    this.kind = kind;
    this.method = method;
    this.path = path;
  }

  get userMessage(): string {
    switch (this.kind) {
      case "refused":
        return "Connection refused: nothing is listening at that address and port. Is the Mailman core running, and is the REST URL right?";
      case "timeout":
        return "The Mailman core did not answer in time. It may be overloaded, or a firewall drops the traffic.";
      case "dns":
        return "The host name of the REST URL could not be resolved.";
      case "tls":
        return "The TLS connection failed: the certificate is not trusted or does not match the host, or the server does not speak HTTPS on that port.";
      case "reset":
        return "The connection was closed by the server before it answered.";
      case "invalid_response":
        return "The server answered, but not like a Mailman 3 REST API. Check the URL (it should not include /3.1).";
      default:
        return "The Mailman core could not be reached.";
    }
  }
}

/**
 * The core answered 200 with JSON, but not in the shape Listkeeper's schema expects. That is a bug
 * in Listkeeper (a shape of the core's answer nobody had seen), not a wrong URL: the issues are
 * logged with a reference (http.ts) and the user sees that reference. A subclass of the transport
 * error so that every place that shows "the core failed" shows this too; it is never retried.
 */
export class MailmanSchemaError extends MailmanTransportError {
  readonly reference: string;
  readonly issues: readonly { path: readonly PropertyKey[]; message: string }[];

  constructor(method: string, path: string, reference: string, issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
    super("invalid_response", method, path, `unexpected answer, reference ${reference}`);
    this.name = "MailmanSchemaError";
    this.reference = reference;
    this.issues = issues;
  }

  override get userMessage(): string {
    return `Mailman answered something Listkeeper did not expect (reference ${this.reference}). The server log has the details.`;
  }
}

const TLS_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "EPROTO",
]);

/** Maps what fetch throws (undici errors nest the system error in `cause`) to a failure kind. */
export function classifyTransportError(error: unknown): TransportFailure {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return "timeout";
  const cause = (error as { cause?: { code?: string; name?: string } } | undefined)?.cause;
  const code = cause?.code ?? (error as { code?: string } | undefined)?.code ?? "";
  if (code === "ECONNREFUSED") return "refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "dns";
  if (code === "UND_ERR_CONNECT_TIMEOUT" || code === "ETIMEDOUT" || code === "UND_ERR_HEADERS_TIMEOUT") return "timeout";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE") return "reset";
  if (TLS_CODES.has(code) || /SSL|TLS|CERT/.test(code)) return "tls";
  return "unknown";
}

export function isMailmanError(error: unknown, status?: number): error is MailmanError {
  return error instanceof MailmanError && (status === undefined || error.status === status);
}
