import pLimit, { type LimitFunction } from "p-limit";
import pRetry, { AbortError } from "p-retry";
import type { z } from "zod";
import { randomUUID } from "node:crypto";
import { logger } from "@/lib/logger";
import { classifyTransportError, MailmanError, MailmanSchemaError, MailmanTransportError } from "./errors";
import { recordMailmanCall } from "./instrumentation";
import { nodeCoreFetch, type CoreFetch, type CoreResponse } from "./transport";

export interface MailmanConnection {
  /** Base URL of the core, without the API version: `http://127.0.0.1:8001`. */
  baseUrl: string;
  user: string;
  password: string;
  timeoutMs?: number;
  /** Parallel requests allowed to this server from this process (the core has 2 workers by default). */
  concurrency?: number;
  /** Retries after transport errors and 5xx, idempotent calls only. */
  retries?: number;
  /** How requests travel (./transport.ts); unit tests pass a stand-in. */
  transport?: CoreFetch;
  /**
   * False for a client whose calls are not the app's own (one that only sends GETs ahead for
   * another client, ./early.ts): its calls are left out of the call log (./instrumentation.ts).
   */
  recordCalls?: boolean;
}

export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];
export type Query = Record<string, QueryValue>;

export interface RequestOptions<T> {
  query?: Query;
  body?: unknown;
  schema?: z.ZodType<T>;
  /** Defaults to true for GET, HEAD and PUT. */
  idempotent?: boolean;
}

export type MailmanResponse<T> =
  | { status: 200; data: T }
  | { status: 201; location: string }
  | { status: 202; data: unknown }
  | { status: 204 };

// One limiter per core, shared by every client of this process, so that pages, jobs and
// benchmarks together never exceed the core's capacity (mailman-rest.md §1, gunicorn workers).
const limiters = new Map<string, LimitFunction>();

function limiterFor(baseUrl: string, concurrency: number): LimitFunction {
  const key = `${baseUrl}#${concurrency}`;
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = pLimit(concurrency);
    limiters.set(key, limiter);
  }
  return limiter;
}

export function buildQuery(query: Query | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    // `fields` and other multi-valued parameters must be repeated keys; a comma-joined value
    // is read as one unknown field (console.md §9).
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function normaliseBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, "").replace(/\/3\.[01]$/, "");
}

export class MailmanHttp {
  readonly baseUrl: string;
  private readonly authorization: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly limit: LimitFunction;
  private readonly transport: CoreFetch;
  private readonly recordCalls: boolean;

  constructor(connection: MailmanConnection) {
    this.transport = connection.transport ?? nodeCoreFetch;
    this.recordCalls = connection.recordCalls ?? true;
    this.baseUrl = normaliseBaseUrl(connection.baseUrl);
    this.authorization = `Basic ${Buffer.from(`${connection.user}:${connection.password}`).toString("base64")}`;
    this.timeoutMs = connection.timeoutMs ?? 15_000;
    this.retries = connection.retries ?? 2;
    this.limit = limiterFor(this.baseUrl, connection.concurrency ?? 4);
  }

  async request<T>(method: string, path: string, options: RequestOptions<T> = {}): Promise<MailmanResponse<T>> {
    const idempotent = options.idempotent ?? (method === "GET" || method === "HEAD" || method === "PUT");
    const url = `${this.baseUrl}/3.1${path}${buildQuery(options.query)}`;
    const attempt = () => this.limit(() => this.once<T>(method, path, url, options));
    if (!idempotent) return attempt();
    return pRetry(
      async () => {
        try {
          return await attempt();
        } catch (error) {
          const retryable =
            (error instanceof MailmanTransportError && !(error instanceof MailmanSchemaError)) || (error instanceof MailmanError && error.isTransient);
          if (!retryable) throw new AbortError(error as Error);
          throw error;
        }
      },
      { retries: this.retries, minTimeout: 100, maxTimeout: 1_000 },
    );
  }

  private async once<T>(method: string, path: string, url: string, options: RequestOptions<T>): Promise<MailmanResponse<T>> {
    const started = performance.now();
    const record = (status: number | "transport-error") => {
      if (this.recordCalls) recordMailmanCall({ server: this.baseUrl, method, path, status, ms: performance.now() - started });
    };
    let response: CoreResponse;
    try {
      response = await this.transport(url, {
        method,
        headers: {
          authorization: this.authorization,
          accept: "application/json",
          ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
        },
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: "manual",
      });
    } catch (error) {
      record("transport-error");
      throw new MailmanTransportError(classifyTransportError(error), method, path, (error as Error).message);
    }
    record(response.status);

    if (response.status === 204) return { status: 204 };
    if (response.status === 201) {
      await response.body?.cancel();
      return { status: 201, location: response.headers.get("location") ?? "" };
    }
    let text: string;
    try {
      // The timeout signal also covers the body: a slow or cut body must surface as a transport error.
      text = await response.text();
    } catch (error) {
      throw new MailmanTransportError(classifyTransportError(error), method, path, (error as Error).message);
    }
    const contentType = response.headers.get("content-type") ?? "";
    let json: unknown = undefined;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        throw new MailmanTransportError("invalid_response", method, path, `${response.status} ${contentType}`);
      }
    }
    if (response.status >= 400) {
      const body = (json ?? {}) as { title?: unknown; description?: unknown };
      if (typeof body.title !== "string") {
        // Not the core's error shape: something else answers at this URL.
        if (response.status !== 401 && response.status !== 404 && response.status < 500) {
          throw new MailmanTransportError("invalid_response", method, path, String(response.status));
        }
      }
      throw new MailmanError({
        status: response.status,
        title: typeof body.title === "string" ? body.title : `${response.status}`,
        description: typeof body.description === "string" ? body.description : undefined,
        method,
        path,
      });
    }
    if (response.status === 202) return { status: 202, data: json };
    if (response.status !== 200) {
      throw new MailmanTransportError("invalid_response", method, path, String(response.status));
    }
    if (!options.schema) return { status: 200, data: json as T };
    const parsed = options.schema.safeParse(json);
    if (!parsed.success) {
      // Only the path, the issue paths and zod's messages: never the body (it may hold members'
      // addresses) nor the credentials.
      const reference = randomUUID().slice(0, 8);
      const issues = parsed.error.issues.slice(0, 10).map((issue) => ({ path: issue.path, message: issue.message }));
      logger.error(
        { reference, server: this.baseUrl, method, path, issues: issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })) },
        "Mailman answered in a shape Listkeeper's schema does not accept",
      );
      throw new MailmanSchemaError(method, path, reference, issues);
    }
    return { status: 200, data: parsed.data };
  }
}
