import http from "node:http";
import https from "node:https";

/**
 * How the client sends one request to a core: node:http with keep-alive, not fetch. Measured on
 * one machine in one run (GET …/config, 300 calls each): fetch costs 1.1–1.6 ms of CPU and 5.1 ms
 * per call, node:http 0.5 ms and 4.4 ms; inside a page, Next.js wraps fetch in its own caching
 * and tracing layer on top (issue 13: a list page's own time). The shape is the part of fetch
 * the client uses, so unit tests hand it a function returning a `Response`.
 */
export interface CoreResponse {
  status: number;
  headers: { get(name: string): string | null };
  /** The whole body; rejects with the signal's reason when the timeout ends it midway. */
  text(): Promise<string>;
  body: { cancel(): Promise<void> } | null;
}

export interface CoreRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** Covers the connection, the headers and the body. */
  signal?: AbortSignal;
  /** Never followed either way: a redirect is answered as an unexpected status. */
  redirect?: "manual";
}

export type CoreFetch = (url: string, request: CoreRequest) => Promise<CoreResponse>;

const agents = {
  "http:": new http.Agent({ keepAlive: true }),
  "https:": new https.Agent({ keepAlive: true }),
};

export const nodeCoreFetch: CoreFetch = (url, request) =>
  new Promise<CoreResponse>((resolve, reject) => {
    const target = new URL(url);
    if (target.protocol !== "http:" && target.protocol !== "https:") {
      reject(new TypeError(`Unsupported protocol ${target.protocol}`));
      return;
    }
    const headers: Record<string, string> = { ...request.headers };
    // A length, not chunked encoding: the core's WSGI server reads the body by its length.
    if (request.body !== undefined) headers["content-length"] = String(Buffer.byteLength(request.body));
    const client = target.protocol === "https:" ? https : http;
    const outgoing = client.request(target, { method: request.method, headers, agent: agents[target.protocol], signal: request.signal });
    outgoing.on("error", reject);
    outgoing.on("response", (incoming) => {
      // Read at once, so that an error on the body always has a listener.
      const body = new Promise<string>((ok, fail) => {
        const chunks: Buffer[] = [];
        const failed = (error: Error) => fail(request.signal?.aborted ? request.signal.reason : error);
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("end", () => ok(Buffer.concat(chunks).toString("utf8")));
        incoming.on("error", failed);
        incoming.on("close", () => {
          if (!incoming.complete) failed(Object.assign(new Error("The connection closed before the answer ended."), { code: "ECONNRESET" }));
        });
      });
      body.catch(() => {});
      resolve({
        status: incoming.statusCode ?? 0,
        headers: {
          get: (name) => {
            const value = incoming.headers[name.toLowerCase()];
            return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
          },
        },
        text: () => body,
        body: {
          cancel: async () => {
            incoming.resume();
          },
        },
      });
    });
    outgoing.end(request.body);
  });
