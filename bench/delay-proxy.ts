/**
 * A proxy of our own in front of the real core for the page benches: every request waits
 * `delayMs` before it is forwarded (a core that far away), and each is recorded with when it
 * arrived and when its answer was fully sent, so a page request's core calls can be counted and
 * their overlap measured from the outside, whatever process makes them.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ProxiedCall {
  method: string;
  /** Without the API version and the query. */
  path: string;
  /** As requested: version, path and query. */
  url: string;
  status: number;
  /** performance.now() of this process when the request arrived and when its answer ended. */
  start: number;
  end: number;
}

export interface DelayProxy {
  url: string;
  /** Added before each request is forwarded; change it between runs. */
  delayMs: number;
  calls: ProxiedCall[];
  close(): Promise<void>;
}

export async function startDelayProxy(upstreamUrl: string, delayMs = 0): Promise<DelayProxy> {
  const upstream = new URL(upstreamUrl);
  const calls: ProxiedCall[] = [];
  const state: DelayProxy = { url: "", delayMs, calls, close: async () => {} };
  const server: Server = createServer((req: IncomingMessage, res) => {
    const start = performance.now();
    const method = req.method ?? "GET";
    const path = decodeURIComponent((req.url ?? "/").split("?")[0]!.replace(/^\/3\.[01]/, ""));
    const forward = () => {
      const out = httpRequest(
        { host: upstream.hostname, port: upstream.port, method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on("end", () => calls.push({ method, path, url: req.url ?? "/", status: answer.statusCode ?? 502, start, end: performance.now() }));
        },
      );
      out.on("error", () => {
        calls.push({ method, path, url: req.url ?? "/", status: 502, start, end: performance.now() });
        res.writeHead(502).end();
      });
      req.pipe(out);
    };
    if (state.delayMs > 0) setTimeout(forward, state.delayMs);
    else forward();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
