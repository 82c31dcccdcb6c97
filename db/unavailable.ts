/**
 * True when a database error (from `pg`, possibly wrapped by drizzle as `cause`) says the database
 * could not be reached or went away mid-query: a restart, a crash, a dropped connection. Such an
 * error says nothing about the work itself, so a job that meets it is resumed later rather than
 * failed (its lease expires and the worker's recovery sends it again).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let inQuery = false;
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown; query?: unknown };
    // A socket error counts only under a failed query (drizzle's wrapper carries the query):
    // the same codes from fetch mean the Mailman core, which the jobs handle on their own.
    if (typeof candidate.query === "string") inQuery = true;
    const code = typeof candidate.code === "string" ? candidate.code : "";
    // SQLSTATE class 08 (connection exception); 57P01–57P03: shut down by the administrator,
    // crashed, or not yet accepting connections.
    if (/^08[0-9A-Z]{3}$/.test(code) || code === "57P01" || code === "57P02" || code === "57P03") return true;
    if (inQuery && NODE_CONNECTION_CODES.has(code)) return true;
    // pg reports a connection that ended under a query without a code.
    if (typeof candidate.message === "string" && PG_CONNECTION_MESSAGES.some((text) => (candidate.message as string).startsWith(text))) return true;
    current = candidate.cause;
  }
  return false;
}

const NODE_CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTCONN"]);
const PG_CONNECTION_MESSAGES = ["Connection terminated", "Client has encountered a connection error", "timeout exceeded when trying to connect"];
