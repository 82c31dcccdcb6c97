import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyTransportError } from "./errors";
import { nodeCoreFetch } from "./transport";

// A plain HTTP server on loopback standing in for the network, not for the core: what the
// transport sends and how it fails. The core itself is exercised by the integration tests.
let server: http.Server;
let base: string;
const seen: { method?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      seen.push({ method: req.method, headers: req.headers, body });
      if (req.url === "/echo") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ got: body }));
      } else if (req.url === "/moved") {
        res.writeHead(302, { location: "http://elsewhere.example/" });
        res.end();
      } else if (req.url === "/silent") {
        // never answers
      } else if (req.url === "/slow-body") {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"entries": [');
      } else if (req.url === "/cut") {
        res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
        res.write('{"entries": [');
        setTimeout(() => res.socket?.destroy(), 20);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("nodeCoreFetch", () => {
  it("sends the method, headers and body with its length, and reads status, headers and text", async () => {
    const body = JSON.stringify({ display_name: "Zoë" });
    const response = await nodeCoreFetch(`${base}/echo`, { method: "PATCH", headers: { authorization: "Basic eDp5", "content-type": "application/json" }, body });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/json");
    expect(response.headers.get("location")).toBeNull();
    expect(JSON.parse(await response.text())).toEqual({ got: body });
    const request = seen.at(-1)!;
    expect(request.method).toBe("PATCH");
    expect(request.headers.authorization).toBe("Basic eDp5");
    expect(request.headers["content-length"]).toBe(String(Buffer.byteLength(body)));
    expect(request.headers["transfer-encoding"]).toBeUndefined();
  });

  it("does not follow a redirect", async () => {
    const response = await nodeCoreFetch(`${base}/moved`, { method: "GET", headers: {} });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("http://elsewhere.example/");
  });

  it("times out a server that never answers", async () => {
    const error = await nodeCoreFetch(`${base}/silent`, { method: "GET", headers: {}, signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect(classifyTransportError(error)).toBe("timeout");
  });

  it("times out a body that stops halfway", async () => {
    const response = await nodeCoreFetch(`${base}/slow-body`, { method: "GET", headers: {}, signal: AbortSignal.timeout(150) });
    expect(response.status).toBe(200);
    const error = await response.text().catch((e: unknown) => e);
    expect(classifyTransportError(error)).toBe("timeout");
  });

  it("reports a connection cut before the body ended as a reset", async () => {
    const response = await nodeCoreFetch(`${base}/cut`, { method: "GET", headers: {} });
    const error = await response.text().catch((e: unknown) => e);
    expect(classifyTransportError(error)).toBe("reset");
  });

  it("reports a refused connection", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await nodeCoreFetch(`http://127.0.0.1:${port}/`, { method: "GET", headers: {} }).catch((e: unknown) => e);
    expect(classifyTransportError(error)).toBe("refused");
  });

  it("refuses a URL that is not http or https", async () => {
    await expect(nodeCoreFetch("ftp://127.0.0.1/", { method: "GET", headers: {} })).rejects.toThrow(/Unsupported protocol/);
  });
});
