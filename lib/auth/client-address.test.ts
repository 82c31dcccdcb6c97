import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { parseIpRange, type IpRange } from "@/lib/validation/ip-address";
import { clientAddress, installPeerAddressHook, networkKey, PEER_HEADER } from "./client-address";

const ranges = (...items: string[]) => items.map((i) => parseIpRange(i)!) as IpRange[];

/** Real requests through a Node HTTP server, as `next start` receives them. */
async function seenByServer(headers: Record<string, string>): Promise<Headers> {
  await installPeerAddressHook();
  const server = createServer((req, res) => res.end(JSON.stringify(req.headers)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers });
    return new Headers((await response.json()) as Record<string, string>);
  } finally {
    server.close();
  }
}

describe("clientAddress", () => {
  it("ignores X-Forwarded-For from a client that is not a trusted proxy, however it rotates", async () => {
    for (const forwarded of ["198.51.100.1", "203.0.113.5, 198.51.100.2", "::1"]) {
      const headers = await seenByServer({ "x-forwarded-for": forwarded, "x-real-ip": "198.51.100.9" });
      expect(clientAddress(headers, [])).toBe("127.0.0.1");
      expect(clientAddress(headers, ranges("10.0.0.0/8"))).toBe("127.0.0.1");
    }
  });

  it("cannot be fooled by a client sending the peer header itself", async () => {
    const forged = await seenByServer({ [PEER_HEADER]: "0123 198.51.100.1" });
    expect(clientAddress(forged, [])).toBe("127.0.0.1");
    expect(clientAddress(new Headers({ [PEER_HEADER]: "0123 198.51.100.1" }), [])).toBe("unknown");
  });

  it("behind a trusted proxy, takes the right-most hop that is not a trusted proxy", async () => {
    const trusted = ranges("127.0.0.1", "10.0.0.0/8");
    expect(clientAddress(await seenByServer({ "x-forwarded-for": "198.51.100.1, 203.0.113.9" }), trusted)).toBe("203.0.113.9");
    expect(clientAddress(await seenByServer({ "x-forwarded-for": "198.51.100.1, 203.0.113.9, 10.1.2.3" }), trusted)).toBe("203.0.113.9");
    expect(clientAddress(await seenByServer({ "x-forwarded-for": "not-an-ip, ::ffff:203.0.113.7" }), trusted)).toBe("203.0.113.7");
    // Nothing forwarded, or only proxies: the proxy chain itself is the client.
    expect(clientAddress(await seenByServer({}), trusted)).toBe("127.0.0.1");
    expect(clientAddress(await seenByServer({ "x-forwarded-for": "10.9.9.9" }), trusted)).toBe("10.9.9.9");
  });
});

describe("networkKey", () => {
  it("keys IPv4 by address and IPv6 by its /64", () => {
    expect(networkKey("203.0.113.9")).toBe("203.0.113.9");
    expect(networkKey("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(networkKey("2001:db8:1:2:aaaa::1")).toBe(networkKey("2001:db8:1:2:bbbb::2"));
    expect(networkKey("2001:db8:1:2::1")).not.toBe(networkKey("2001:db8:1:3::1"));
    expect(networkKey("unknown")).toBe("unknown");
  });
});
