import net from "node:net";

/**
 * A tiny TCP proxy on loopback: each incoming connection goes to the next backend in turn (the
 * round-robin a load balancer does in front of several `next start`), and the whole proxy can be
 * taken down (connections refused, open ones cut) and brought back on the same port, which is
 * how the soak makes Listkeeper's template endpoint unreachable for the core.
 */
export interface TcpProxy {
  port: number;
  url: string;
  /** Connections handed to each backend so far. */
  counts: number[];
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(backendPorts: readonly number[], port = 0): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const counts = backendPorts.map(() => 0);
  let next = 0;
  const server = net.createServer((client) => {
    const index = next++ % backendPorts.length;
    counts[index]!++;
    const upstream = net.connect({ host: "127.0.0.1", port: backendPorts[index]! });
    sockets.add(client);
    sockets.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (p: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(p, "127.0.0.1", () => {
        server.off("error", reject);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  const actualPort = await listen(port);
  return {
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}`,
    counts,
    down: stop,
    up: async () => {
      if (!server.listening) await listen(actualPort);
    },
    close: stop,
  };
}
