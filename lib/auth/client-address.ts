import { randomBytes } from "node:crypto";
import { env } from "@/lib/env";
import { inRanges, networkOf, parseIp, type IpRange } from "@/lib/validation/ip-address";

/**
 * Who is on the other end of a request, for rate limits (sign-in today; sign-up, password reset
 * and verification next). X-Forwarded-For is written by whoever sends the request, so it counts
 * only when the connection itself comes from a proxy listed in TRUSTED_PROXIES.
 *
 * Next.js does not tell route handlers or actions which address connected: `next start` sets
 * X-Forwarded-For to the socket's address only when the request has none, so a client that sends
 * its own hides the real one. `installPeerAddressHook` (called from instrumentation.ts) therefore
 * records the socket's address in a request header of our own, through Node's documented
 * `http.server.request.start` diagnostics channel, which runs before Next sees the request. The
 * header carries a random per-process token, so a client cannot send a look-alike.
 */

export const PEER_HEADER = "x-listkeeper-peer";

const TOKEN_KEY = Symbol.for("listkeeper.peer-token");

/** Shared through globalThis: instrumentation and route code are separate bundles in one process. */
function peerToken(): string {
  const holder = globalThis as { [TOKEN_KEY]?: string };
  holder[TOKEN_KEY] ??= randomBytes(16).toString("hex");
  return holder[TOKEN_KEY];
}

const HOOK_KEY = Symbol.for("listkeeper.peer-hook");

export async function installPeerAddressHook(): Promise<void> {
  const holder = globalThis as { [HOOK_KEY]?: boolean };
  if (holder[HOOK_KEY]) return;
  holder[HOOK_KEY] = true;
  const { subscribe } = await import("node:diagnostics_channel");
  const token = peerToken();
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: { headers: Record<string, string | string[] | undefined> }; socket: { remoteAddress?: string } };
    // Always overwritten, so whatever a client sent under this name is gone.
    request.headers[PEER_HEADER] = `${token} ${socket.remoteAddress ?? ""}`;
  });
}

/** The address that connected, as recorded by the hook; null when the hook did not see this request. */
export function peerAddress(headers: Headers): string | null {
  const value = headers.get(PEER_HEADER);
  if (!value) return null;
  const [token, address] = value.split(" ");
  if (token !== peerToken() || !address) return null;
  return parseIp(address)?.toString() ?? null;
}

/**
 * The client's address: the connecting address, unless that is a trusted proxy; then the
 * right-most X-Forwarded-For entry that is not a trusted proxy (entries further left were written
 * by the client and prove nothing). "unknown" when no peer was recorded.
 */
export function clientAddress(headers: Headers, trustedProxies: readonly IpRange[] = env.TRUSTED_PROXIES): string {
  const peer = peerAddress(headers);
  if (!peer) return "unknown";
  const peerIp = parseIp(peer)!;
  if (!inRanges(peerIp, trustedProxies)) return peerIp.toString();
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => parseIp(hop))
    .filter((hop) => hop !== null);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!inRanges(hops[i]!, trustedProxies)) return hops[i]!.toString();
  }
  // Every hop is a trusted proxy: the request began at the left-most one.
  return (hops[0] ?? peerIp).toString();
}

/** The per-network rate-limit key of an address (IPv6: its /64). */
export function networkKey(address: string): string {
  const ip = parseIp(address);
  return ip ? networkOf(ip) : address;
}
