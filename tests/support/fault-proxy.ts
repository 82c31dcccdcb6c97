import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { MailmanClient } from "@/lib/mailman";
import { testConnection } from "./core";

export interface FaultProxy {
  /** The proxy's base URL (a target may be registered with it). */
  url: string;
  /** A client of the real test core, through the proxy. */
  client: MailmanClient;
  /** Answers the next `times` requests for which `match` holds with a 503, without forwarding them. */
  failNext(match: (method: string, path: string) => boolean, times?: number): void;
  /** Forgets the failures still to come: everything is forwarded again. */
  reset(): void;
  /** Requests the proxy failed so far, as "METHOD /path". */
  failed: string[];
  /** Requests the proxy forwarded to the core so far, as "METHOD /path". */
  forwarded: string[];
  close(): Promise<void>;
}

/**
 * A proxy of our own in front of the real core (BRIEF: allowed for counting calls and injecting
 * failures). Everything is forwarded untouched, except the requests chosen to fail, which get the
 * core's own 503 error shape and never reach it.
 */
export async function startFaultProxy(): Promise<FaultProxy> {
  const upstream = new URL(testConnection().baseUrl);
  const rules: { match: (method: string, path: string) => boolean; left: number }[] = [];
  const failed: string[] = [];
  const forwarded: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const method = req.method ?? "GET";
    const path = decodeURIComponent((req.url ?? "/").split("?")[0]!.replace(/^\/3\.1/, ""));
    const rule = rules.find((r) => r.left > 0 && r.match(method, path));
    if (rule) {
      rule.left -= 1;
      failed.push(`${method} ${path}`);
      req.resume();
      res.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify({ title: "503 Service Unavailable", description: "injected by the test proxy" }));
      return;
    }
    forwarded.push(`${method} ${path}`);
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  // No retries: a failed call must stay failed, as a real outage in the middle of a run would.
  const client = new MailmanClient(testConnection({ baseUrl: `http://127.0.0.1:${port}`, retries: 0 }));
  return {
    url: `http://127.0.0.1:${port}`,
    client,
    failed,
    forwarded,
    failNext(match, times = 1) {
      rules.push({ match, left: times });
    },
    reset() {
      rules.length = 0;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
